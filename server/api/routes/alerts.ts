import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../../common/clock.js';
import { audit } from '../../access/audit.js';
import { csrfField, formToken, formTokenValid, refuseForm } from '../../access/form-csrf.js';
import { actorOf, principalOf } from '../../access/principal.js';
import { actOn, allow, anyone, decide, read } from '../../access/rules.js';
import { checkAckToken } from '../../alerts/ack-link.js';
import { acknowledgedPage, confirmPage, refusedPage } from '../../alerts/ack-pages.js';
import {
  type AckOutcome,
  incidentNoScript,
  isAckOutcome,
  withNoScript,
} from '../../alerts/incident-noscript.js';
import type { Estate } from '../../config/schema.js';
import { instantOf } from '../../principles/ad-hoc.js';
import type { AccessStore } from '../../store/access.js';
import type { Acknowledged, IncidentRow, IncidentsQuery, IncidentsStore } from '../../store/incidents.js';
import { incidentView } from '../alert-views.js';
import { formBody } from '../body.js';
import { ApiError, parseInput } from '../errors.js';

const MAX_LIMIT = 500;
const id = z.string().min(1).max(100);
const time = z
  .string()
  .max(40)
  .transform((text, ctx) => {
    const at = instantOf(text);
    if (at === undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'not a time: give YYYY-MM-DDTHH:MM (London time) or ISO 8601 with Z or an offset',
      });
    return at ?? 0;
  });
const listQuery = z.strictObject({
  state: z.enum(['open', 'all']).optional(),
  organisation: id.optional(),
  check: id.optional(),
  system: id.optional(),
  site: id.optional(),
  since: time.optional(),
  until: time.optional(),
  limit: z
    .string()
    .regex(/^[0-9]{1,4}$/, `a whole number from 1 to ${MAX_LIMIT}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_LIMIT, `a whole number from 1 to ${MAX_LIMIT}`)
    .optional(),
});
type ListQuery = z.infer<typeof listQuery>;
const FORM = { bytes: 2 * 1024, fields: 4 };

export interface AlertRoutesDeps {
  stores: { incidents: IncidentsStore; access: AccessStore };
  clock: Clock;
  estate: () => Estate | undefined;
  ackKey: Buffer;
  /** The dashboard's page (its index.html), when it is built: the incident page is served in it. */
  shell?: () => Promise<string | undefined>;
  /** Tells the incident's channels it was acknowledged. */
  acknowledged?: (incident: IncidentRow) => Promise<void>;
}

/**
 * Incidents: listed with their timelines for anyone who may read the economy; acknowledged by an admin
 * or a partner of the organisation responsible, or by whoever holds the signed link a message carried.
 */
export function alertRoutes(deps: AlertRoutesDeps): { api: Router; pages: Router } {
  const { stores, clock } = deps;
  const api = Router();
  const ackRule = actOn('acknowledging an alert', (req) => stores.incidents.subjectOf(String(req.params.id)));
  const view = async (incident: IncidentRow) =>
    incidentView(
      incident,
      await stores.incidents.members(incident.id),
      await stores.incidents.events(incident.id),
      deps.estate(),
    );

  api.get('/alerts', allow(read), async (req, res) => {
    const rows = await stores.incidents.list(filtersOf(parseInput(listQuery, req.query, 'query')));
    res.json({ items: await Promise.all(rows.map(view)) });
  });

  api.get('/alerts/:id', allow(read), async (req, res) => {
    const incident = await stores.incidents.incident(req.params.id);
    if (!incident) throw new ApiError('not_found', `no such alert: '${req.params.id}'`);
    res.json(await view(incident));
  });

  api.post('/alerts/:id/ack', allow(ackRule), async (req, res) => {
    const by = actorOf(principalOf(req));
    const outcome = await stores.incidents.acknowledge(req.params.id, clock.now(), by, 'api');
    // The incident page's form, posted without scripts: back to the page, which says how it went.
    const form = req.is('application/x-www-form-urlencoded') && req.accepts(['json', 'html']) === 'html';
    if (!outcome.ok && !(form && outcome.reason !== 'not-found')) throw refusal(req.params.id, outcome);
    if (outcome.ok) {
      await audit(stores.access, clock, req, { action: 'alert.acknowledge', subject: req.params.id });
      await deps.acknowledged?.(outcome.incident);
    }
    if (form) {
      const said: AckOutcome = outcome.ok ? 'ok' : outcome.reason === 'resolved' ? 'resolved' : 'already';
      res.redirect(303, `/alerts/${encodeURIComponent(req.params.id)}?ack=${said}`);
      return;
    }
    if (outcome.ok) res.json(await view(outcome.incident));
  });

  /** The store's query for a list asked for: ids the estate does not know, or times out of order, are a 400. */
  function filtersOf(query: ListQuery): IncidentsQuery {
    const estate = deps.estate();
    const known = (field: 'organisation' | 'check' | 'system' | 'site', ids: readonly { id: string }[]) => {
      const value = query[field];
      if (value === undefined || ids.some((entry) => entry.id === value)) return;
      const message = `query parameter '${field}': no ${field} with id '${value}'`;
      throw new ApiError('invalid', message, [{ path: field, message: `no such ${field}` }]);
    };
    known('organisation', estate?.organisations ?? []);
    known('check', estate?.checks ?? []);
    known('system', estate?.systems ?? []);
    known('site', estate?.sites ?? []);
    if (query.since !== undefined && query.until !== undefined && query.until < query.since) {
      const message = "query parameter 'until': before 'since'";
      throw new ApiError('invalid', message, [{ path: 'until', message: "before 'since'" }]);
    }
    return {
      state: query.state ?? 'open',
      limit: query.limit ?? 100,
      ...(query.organisation !== undefined ? { organisation: query.organisation } : {}),
      ...(query.check !== undefined ? { check: query.check } : {}),
      ...(query.system !== undefined
        ? {
            system: query.system,
            systemChecks: (estate?.checks ?? []).filter((c) => c.system === query.system).map((c) => c.id),
          }
        : {}),
      ...(query.site !== undefined ? { site: query.site } : {}),
      ...(query.since !== undefined ? { since: query.since } : {}),
      ...(query.until !== undefined ? { until: query.until } : {}),
    };
  }

  const pages = Router();
  // The dashboard's incident page, with what it says and its Acknowledge button for a browser without
  // scripts; the dashboard's scripts draw the whole page over it. Without a built dashboard, no page.
  pages.get('/alerts/:id', allow({ kind: 'page' }), async (req, res, next) => {
    const shell = await deps.shell?.();
    if (shell === undefined) return next();
    const id = String(req.params.id);
    const incident = await stores.incidents.incident(id);
    const principal = principalOf(req);
    const mayAck =
      incident !== undefined &&
      incident.resolvedAt === null &&
      incident.acknowledgedAt === null &&
      principal.kind === 'user' &&
      decide(ackRule, principal, { estate: deps.estate }, req).ok;
    const noscript = incidentNoScript({
      id,
      incident,
      estate: deps.estate(),
      now: clock.now(),
      ackCsrf: mayAck && principal.kind === 'user' ? principal.csrf : undefined,
      outcome: isAckOutcome(req.query.ack) ? req.query.ack : undefined,
    });
    res
      .status(incident ? 200 : 404)
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(withNoScript(shell, noscript));
  });

  // The link is the credential: whoever received the message may acknowledge, without signing in.
  pages.get('/alerts/:id/ack', allow(anyone), async (req, res) => {
    const incident = await linkIncident(req, res, req.query.token);
    if (incident)
      send(res, 200, confirmPage(incident, String(req.query.token), csrfField(formToken(req, res))));
  });

  pages.post('/alerts/:id/ack', allow(anyone), formBody(FORM), async (req, res) => {
    if (!formTokenValid(req)) return refuseForm(req, res);
    const token = (req.body as Record<string, unknown>).token;
    const incident = await linkIncident(req, res, token);
    if (!incident) return;
    const outcome = await stores.incidents.acknowledge(incident.id, clock.now(), 'signed link', 'link');
    if (!outcome.ok) {
      const refused = refusal(incident.id, outcome);
      return send(res, 409, refusedPage('This alert cannot be acknowledged', refused.message));
    }
    await audit(stores.access, clock, req, {
      action: 'alert.acknowledge',
      subject: incident.id,
      actor: 'signed link',
      detail: { via: 'link' },
    });
    await deps.acknowledged?.(outcome.incident);
    send(res, 200, acknowledgedPage(outcome.incident));
  });

  /** The incident a link names, or a page saying why the link does not work (and undefined). */
  async function linkIncident(req: Request, res: Response, token: unknown): Promise<IncidentRow | undefined> {
    const id = String(req.params.id);
    const check = checkAckToken(deps.ackKey, id, token, clock.now());
    if (!check.ok) {
      if (check.reason === 'expired')
        send(res, 410, refusedPage('This link has expired', 'Links in alert messages work for 72 hours.'));
      else
        send(
          res,
          400,
          refusedPage('This link is not valid', 'It may have been copied incompletely or changed.'),
        );
      return undefined;
    }
    const incident = await stores.incidents.incident(id);
    if (!incident) {
      send(res, 404, refusedPage('No such alert', `There is no alert ${id}.`));
      return undefined;
    }
    if (incident.resolvedAt !== null) {
      send(
        res,
        409,
        refusedPage(
          'This alert has resolved',
          `${incident.title}: it resolved, so there is nothing to acknowledge.`,
        ),
      );
      return undefined;
    }
    return incident;
  }

  return { api, pages };
}

function refusal(id: string, outcome: Extract<Acknowledged, { ok: false }>): ApiError {
  if (outcome.reason === 'not-found') return new ApiError('not_found', `no such alert: '${id}'`);
  if (outcome.reason === 'resolved')
    return new ApiError('conflict', `alert ${id} has resolved: there is nothing to acknowledge`);
  return new ApiError(
    'conflict',
    `alert ${id} was already acknowledged by ${outcome.incident?.acknowledgedBy ?? 'someone'}`,
  );
}

function send(res: Response, status: number, page: { value: string }): void {
  res.status(status).type('html').set('Cache-Control', 'no-store').send(page.value);
}
