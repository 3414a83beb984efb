import { createHash } from 'node:crypto';
import { type NextFunction, type Request, type Response, Router } from 'express';
import type { Clock } from '../../../common/clock.js';
import { type Env, resolveEnv, type Secret, secretsIn } from '../../../common/env-references.js';
import type { Logger } from '../../../common/logger.js';
import { resultRedactor } from '../../../common/redact.js';
import { type Assignments, MAX_AHEAD_MS, MAX_BATCH, MAX_BATCH_BYTES } from '../../../runs/agent-wire.js';
import type { RunRecord } from '../../../runs/record.js';
import { agentOnly, allow } from '../../access/rules.js';
import type { StoredEstate } from '../../estate/rows.js';
import type { RefusedReason } from '../../metrics.js';
import {
  batchSchema,
  heartbeatSchema,
  type PushedResult,
  pushedResultSchema,
  runRecordOf,
} from '../../site-agents/request-schemas.js';
import { checkToken } from '../../site-agents/tokens.js';
import type { AgentsStore, TokenRow } from '../../store/agents.js';
import type { Stores } from '../../store/stores.js';
import { jsonBody } from '../body.js';
import { ApiError, invalidInput, issueDetail, type PathPrinter, parseInput } from '../errors.js';

export interface AgentRouteDeps {
  stores: Pick<Stores, 'estate' | 'results' | 'agents'>;
  clock: Clock;
  logger: Logger;
  /** Resolves the checks' `${NAME}` references before they are sent. */
  env: Env;
  /** Told how many results of a batch were refused, and why, for /metrics. */
  onRefused?: (reason: RefusedReason, count: number) => void;
}

interface AgentLocals {
  token: TokenRow;
}

/** How many bad items one error names; the rest are counted. */
const NAMED_PROBLEMS = 10;

/**
 * A batch is as large as the agent's documented bound; its results nest no deeper than a certificate
 * chain's names in their details (about seven), so 32 leaves room and refuses a pathological body.
 */
const BATCH_BODY = { bytes: MAX_BATCH_BYTES, depth: 32 };
/** A heartbeat is a version, a time and three outbox figures. */
const HEARTBEAT_BODY = { bytes: 4 * 1024, depth: 4 };

/**
 * The agents' side of the API: assignments, heartbeats and result batches, each behind the agent's
 * bearer token, which says which site it speaks for. Tokens are looked up on every request, so a
 * revoked one is refused at once.
 */
export function agentRoutes(deps: AgentRouteDeps): Router {
  const { stores, clock } = deps;
  const refused = deps.onRefused ?? (() => {});
  const router = Router();
  // The token first: a stranger's body is never inflated or parsed.
  router.use(authenticate(stores.agents));

  /** Each site's assignments, worked out once per version of the estate rather than per request. */
  let derived: { generation: number; sites: Map<string, SiteAssignments> } | undefined;
  const assignmentsOf = async (site: string) => {
    const generation = stores.estate.estateGeneration();
    if (derived?.generation !== generation) {
      derived = { generation, sites: siteAssignments(await stores.estate.readEstate(), deps.env) };
    }
    return derived.sites.get(site);
  };

  /** The site the token speaks for, as the estate has it now. */
  const siteOf = async (res: Response) => {
    const { token } = res.locals as AgentLocals;
    const site = await assignmentsOf(token.site);
    if (!site) {
      throw new ApiError(
        'forbidden',
        `token '${token.id}' is for site '${token.site}', which is not in the estate`,
      );
    }
    return { token, ...site };
  };

  router.get('/assignments', allow(agentOnly), async (req, res) => {
    const { json, etag } = await siteOf(res);
    res.set('ETag', etag).set('Cache-Control', 'no-cache');
    if (req.get('If-None-Match') === etag) {
      res.status(304).end();
      return;
    }
    res.type('application/json').send(json);
  });

  router.post('/heartbeat', allow(agentOnly), jsonBody(HEARTBEAT_BODY), async (req, res) => {
    const beat = parseInput(heartbeatSchema, req.body, 'body');
    const { token, site } = await siteOf(res);
    const now = clock.now();
    await stores.agents.recordHeartbeat({
      site: site.id,
      tokenId: token.id,
      at: now,
      version: beat.version,
      clockOffsetMs: beat.sentAt - now,
      outbox: beat.outbox,
    });
    res.json({ serverTime: now });
  });

  router.post('/results', allow(agentOnly), jsonBody(BATCH_BODY), async (req, res) => {
    const batch = batchSchema.safeParse(req.body);
    if (!batch.success) {
      if (batch.error.issues.some((issue) => issue.code === 'too_big')) {
        throw new ApiError(
          'payload_too_large',
          `a batch carries at most ${MAX_BATCH.toLocaleString('en-GB')} results; send the rest in another`,
        );
      }
      throw invalidInput(batch.error, 'body');
    }
    const results = validItems(batch.data.results, clock.now(), refused);
    const { site, assigned, redact } = await siteOf(res);
    const strangers: { index: number; checkId: string; message: string }[] = [];
    for (const [index, { checkId, vantagePoint }] of results.entries()) {
      if (!assigned.has(checkId)) {
        strangers.push({
          index,
          checkId,
          message: `check '${checkId}' is not assigned to site '${site.id}'`,
        });
      } else if (vantagePoint !== undefined && vantagePoint !== site.id) {
        strangers.push({
          index,
          checkId,
          message: `vantage point '${vantagePoint}' is not this agent's site '${site.id}'`,
        });
      }
    }
    if (strangers.length > 0) {
      refused('unassigned', strangers.length);
      throw new ApiError(
        'forbidden',
        `${summary(strangers.map((s) => `results[${s.index}]: ${s.message}`))}; nothing was stored`,
        { items: strangers },
      );
    }
    // An agent of an older version does not redact its results: the server keeps the secrets out anyway.
    const records = results.map((result) => redact(runRecordOf(result, site.id)));
    // Stored runs reach /metrics through the stream of stored results: a retried batch's runs, already
    // stored, are not published again.
    const report = await stores.results.recordRuns(records);
    res.json({ received: records.length, stored: report.stored, duplicates: report.duplicates });
  });

  return router;
}

/**
 * Every item checked, so one error names each bad one (by index) and nothing of the batch is stored.
 * A result dated too far ahead of `now` is refused too: it would stay a check's latest state until then.
 */
function validItems(
  items: unknown[],
  now: number,
  refused: (reason: RefusedReason, count: number) => void,
): PushedResult[] {
  const problems: { index: number; path: string; message: string }[] = [];
  const valid: PushedResult[] = [];
  let invalid = 0;
  let future = 0;
  for (const [index, item] of items.entries()) {
    const parsed = pushedResultSchema.safeParse(item);
    if (parsed.success) {
      const { startedAt } = parsed.data;
      const ahead = Date.parse(startedAt) - now;
      if (ahead > MAX_AHEAD_MS) {
        future += 1;
        problems.push({
          index,
          path: `results[${index}].startedAt`,
          message: `${startedAt} is ${span(ahead)} ahead of the server's clock (${new Date(now).toISOString()}); results more than ${span(MAX_AHEAD_MS)} ahead are refused`,
        });
      } else {
        valid.push(parsed.data);
      }
      continue;
    }
    invalid += 1;
    const printPath: PathPrinter = (path) =>
      `results[${index}]${path.map((part) => `.${String(part)}`).join('')}`;
    for (const issue of parsed.error.issues) problems.push({ index, ...issueDetail(issue, printPath) });
  }
  if (problems.length > 0) {
    refused('invalid', invalid);
    refused('future', future);
    throw new ApiError(
      'invalid',
      `${summary(problems.map((p) => `${p.path}: ${p.message}`))}; nothing was stored`,
      { items: problems },
    );
  }
  return valid;
}

/** A time ahead in the unit that reads best: 7 minutes, 3 hours, 26,700 days. */
function span(ms: number): string {
  const [count, unit] =
    ms < 2 * 3_600_000
      ? [Math.round(ms / 60_000), 'minute']
      : ms < 2 * 86_400_000
        ? [Math.round(ms / 3_600_000), 'hour']
        : [Math.round(ms / 86_400_000), 'day'];
  return `${count.toLocaleString('en-GB')} ${unit}${count === 1 ? '' : 's'}`;
}

function summary(lines: string[]): string {
  const named = lines.slice(0, NAMED_PROBLEMS).join('; ');
  return lines.length > NAMED_PROBLEMS ? `${named}; and ${lines.length - NAMED_PROBLEMS} more` : named;
}

/** Lets in a request with a live agent token; says exactly what is wrong otherwise. */
function authenticate(store: AgentsStore) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const header = req.get('Authorization') ?? '';
      const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      res.set('WWW-Authenticate', 'Bearer realm="vantage-agent"');
      if (!bearer) {
        throw new ApiError('unauthorised', 'send the agent token as Authorization: Bearer <token>');
      }
      const checked = await checkToken(bearer, (id) => store.token(id));
      if (!checked.ok) {
        const message =
          checked.reason === 'revoked'
            ? `token '${checked.token.id}' was revoked at ${new Date(checked.token.revokedAt ?? 0).toISOString()}`
            : checked.reason === 'malformed'
              ? 'that is not an agent token (they look like vat_<id>_<secret>)'
              : 'token not recognised';
        throw new ApiError('unauthorised', message);
      }
      (res.locals as AgentLocals).token = checked.token;
      next();
    } catch (error) {
      next(error);
    }
  };
}

interface SiteAssignments {
  site: { id: string; name: string };
  assigned: Set<string>;
  /** Puts the references back in place of the site's secrets. */
  redact: (record: RunRecord) => RunRecord;
  json: string;
  etag: string;
}

/**
 * For every site in service, the checks it runs and its assignments as sent, with their ETag. The
 * checks are resolved here, so the ETag changes when a secret's value does.
 */
function siteAssignments(estate: StoredEstate, env: Env): Map<string, SiteAssignments> {
  const systems = new Map(estate.systems.map((system) => [system.id, system]));
  const sites = new Map<string, SiteAssignments>();
  // Each check resolved once, however many sites run it; most hold no secret and are sent as stored.
  const resolved = new Map(
    estate.checks.map((check) => {
      const secrets = secretsIn(check.definition, env);
      const definition = secrets.length > 0 ? resolveEnv(check.definition, env) : check.definition;
      return [check.id, { definition, secrets }];
    }),
  );
  for (const site of estate.sites) {
    const checks = estate.checks.filter((check) => check.definition.from?.includes(site.id));
    const used = [...new Set(checks.map((check) => check.definition.system))];
    const secrets: Secret[] = checks.flatMap((check) => resolved.get(check.id)?.secrets ?? []);
    const body: Assignments = {
      site: { id: site.id, name: site.name },
      checks: checks.map((check) => resolved.get(check.id)?.definition ?? check.definition),
      ...(secrets.length > 0 ? { secrets } : {}),
      systems: used.flatMap((id) => {
        const system = systems.get(id);
        return system ? [{ id: system.id, name: system.name, owner: system.owner }] : [];
      }),
    };
    const json = JSON.stringify(body);
    sites.set(site.id, {
      site: body.site,
      assigned: new Set(checks.map((check) => check.id)),
      redact: resultRedactor(secrets),
      json,
      etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`,
    });
  }
  return sites;
}
