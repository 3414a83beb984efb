import { randomUUID } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Secret } from '../common/env-references.js';
import { type Logger, redactingLogger } from '../common/logger.js';
import { realTimers, type Timers } from '../common/timers.js';
import type { Check } from '../probes/check-schema.js';
import { runProbe } from '../probes/run.js';
import {
  AGENT_API,
  type Assignments,
  HEARTBEAT_MS,
  pushedResult,
  SKEW_LIMIT_MS,
} from '../runs/agent-wire.js';
import type { RunRecord } from '../runs/record.js';
import { type RunProbe, Scheduler } from '../runs/scheduler.js';
import { redactingRun } from '../runs/secrets.js';
import { errorMessage, type Response, type ServerClient } from './client.js';
import type { Outbox } from './outbox.js';

export interface AgentOptions {
  client: ServerClient;
  outbox: Outbox;
  logger: Logger;
  version: string;
  /**
   * Where the last assignments are kept, so a restart while the server is away still probes. They
   * hold the checks' secrets, so the file is written readable by its owner only (0600).
   */
  assignmentsFile?: string;
  run?: RunProbe;
  metrics?: AgentMetrics;
  /** The longest wait between attempts to reach the server; 30 s unless given. */
  maxBackoffMs?: number;
  /** Where the agent's time comes from: its runs, its heartbeats and its schedule. The real clock unless given. */
  timers?: Timers;
}

type AssignedSystem = Assignments['systems'][number];

/**
 * What the agent reports to its /metrics: the server's ProbeMetrics, given with --metrics-port. Named
 * here by what the agent calls, so the agent does not import the server.
 */
export interface AgentMetrics {
  observe(run: RunRecord, check: Check, system: AssignedSystem | undefined, latenessMs?: number): void;
  retain(checkIds: Set<string>): void;
}

export interface AgentStatus {
  site: string | undefined;
  checks: number;
  connected: boolean;
  outboxDepth: number;
  dropped: number;
  rejected: number;
  clockOffsetMs: number | undefined;
}

const MAX_BACKOFF_MS = 30_000;
/** How often fresh results are pushed. */
const PUSH_EVERY_MS = 1_000;
/** Results per batch: the newest (fresh) and the oldest (backlog) waiting. */
const FRESH_PER_BATCH = 500;
const BACKLOG_PER_BATCH = 1_000;
/** The most backlog results sent per second once the server is back, so it is never swamped. */
const BACKLOG_PER_SECOND = 5_000;

/**
 * An agent at a site: pulls the checks assigned to its site, runs them with the server's own
 * scheduler and probes, and pushes the results. Every result goes to the outbox first and leaves it
 * only once the server has acknowledged it, so a server that is down, a link that drops or a killed
 * agent loses nothing; the backlog is sent oldest first at a bounded rate beside fresh results.
 */
export class Agent {
  readonly #options: AgentOptions;
  /** The options' logger, with the assignments' secrets replaced by their `${NAME}` references. */
  readonly #logger: Logger;
  #secrets: readonly Secret[] = [];
  #scheduler: Scheduler | undefined;
  #assignments: Assignments | undefined;
  #etag: string | undefined;
  #systems = new Map<string, AssignedSystem>();
  #pollTimer: NodeJS.Timeout | undefined;
  #pushTimer: NodeJS.Timeout | undefined;
  #pushing: Promise<void> | undefined;
  #polling: Promise<void> | undefined;
  #stopped = false;
  #failures = 0;
  #connected = false;
  /** The trouble last logged, so each kind is logged once until the server answers again. */
  #troubleLogged: string | undefined;
  #rejected = 0;
  #clockOffsetMs: number | undefined;
  #batchScale = 1;

  constructor(options: AgentOptions) {
    this.#options = options;
    this.#logger = redactingLogger(options.logger, () => this.#secrets);
  }

  get site(): string | undefined {
    return this.#assignments?.site.id;
  }

  status(): AgentStatus {
    const { outbox } = this.#options;
    return {
      site: this.site,
      checks: this.#assignments?.checks.length ?? 0,
      connected: this.#connected,
      outboxDepth: outbox.depth(),
      dropped: outbox.dropped(),
      rejected: this.#rejected,
      clockOffsetMs: this.#clockOffsetMs,
    };
  }

  /** Starts probing from the kept assignments (if any) and begins talking to the server. */
  start(): void {
    const kept = this.#readKept();
    if (kept) {
      this.#logger.info('probing with the assignments kept from last time', {
        site: kept.site.id,
        checks: kept.checks.length,
      });
      this.#apply(kept);
    }
    this.#pollSoon(0);
    this.#pushSoon(0);
  }

  /** Stops probing, then makes one last attempt to send what is waiting (it stays in the outbox if not). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#pollTimer);
    clearTimeout(this.#pushTimer);
    await this.#scheduler?.stop();
    await this.#polling;
    await this.#pushing;
    if (this.#options.outbox.depth() > 0 && this.#connected) await this.#pushOnce().catch(() => undefined);
  }

  // --- assignments and heartbeats ---------------------------------------------------------------

  #pollSoon(delayMs: number): void {
    if (this.#stopped) return;
    this.#pollTimer = setTimeout(() => {
      this.#polling = this.#poll().finally(() => {
        this.#polling = undefined;
        this.#pollSoon(HEARTBEAT_MS);
      });
    }, delayMs);
  }

  async #poll(): Promise<void> {
    const { client, outbox, version } = this.#options;
    const logger = this.#logger;
    try {
      const now = () => (this.#options.timers ?? realTimers).now();
      const sentAt = now();
      const beat = await client.request('POST', `${AGENT_API}/heartbeat`, {
        json: {
          version,
          sentAt,
          outbox: { depth: outbox.depth(), dropped: outbox.dropped(), oldestAt: outbox.oldestAt() ?? null },
        },
      });
      if (!this.#accepted(beat.status, errorMessage(beat))) return;
      const serverTime = (beat.body as { serverTime?: number }).serverTime;
      if (typeof serverTime === 'number') {
        // The server read its clock about halfway through the round trip.
        const offset = sentAt + (now() - sentAt) / 2 - serverTime;
        if (Math.abs(offset) > SKEW_LIMIT_MS && !(Math.abs(this.#clockOffsetMs ?? 0) > SKEW_LIMIT_MS)) {
          logger.warn(
            'this clock differs from the server by more than 2 s: results may land in the wrong minute',
            {
              offsetMs: Math.round(offset),
            },
          );
        }
        this.#clockOffsetMs = offset;
      }
      const answer = await client.request('GET', `${AGENT_API}/assignments`, {
        headers: this.#etag ? { 'If-None-Match': this.#etag } : {},
      });
      if (answer.status === 304) return;
      if (!this.#accepted(answer.status, errorMessage(answer))) return;
      const assignments = answer.body as Assignments;
      this.#etag = typeof answer.headers.etag === 'string' ? answer.headers.etag : undefined;
      this.#apply(assignments);
      this.#keep(assignments);
    } catch (error) {
      this.#unreachable(error);
    }
  }

  #apply(assignments: Assignments): void {
    const logger = this.#logger;
    this.#secrets = assignments.secrets ?? [];
    const before = this.#assignments;
    if (before && before.site.id !== assignments.site.id) {
      // A token for another site: a fresh scheduler, under the new site's name.
      void this.#scheduler?.stop();
      this.#scheduler = undefined;
    }
    this.#assignments = assignments;
    this.#systems = new Map(assignments.systems.map((s) => [s.id, s]));
    if (!this.#scheduler) this.#scheduler = this.#newScheduler(assignments.site.id);
    this.#scheduler.setChecks(assignments.checks);
    if (!this.#scheduler.started && !this.#stopped) this.#scheduler.start();
    logger.info(before ? 'assignments changed' : 'assignments received', {
      site: assignments.site.id,
      checks: assignments.checks.length,
    });
    this.#options.metrics?.retain(new Set(assignments.checks.map((check) => check.id)));
  }

  #newScheduler(site: string): Scheduler {
    const { outbox, metrics } = this.#options;
    return new Scheduler({
      timers: this.#options.timers ?? realTimers,
      // What a result says of the checks' secrets is put back as their references before it is kept.
      run: redactingRun(this.#options.run ?? runProbe, () => this.#secrets),
      vantagePoint: site,
      logger: this.#logger,
      onRun: (record: RunRecord, check: Check, latenessMs: number) => {
        const id = randomUUID();
        // Written before anything else is done with it: from here on the result survives a crash.
        outbox.add({ id, at: record.startedAt, payload: pushedResult(id, record) });
        metrics?.observe(record, check, this.#systems.get(check.system), latenessMs);
      },
    });
  }

  // --- pushing results --------------------------------------------------------------------------

  #pushSoon(delayMs: number): void {
    if (this.#stopped) return;
    this.#pushTimer = setTimeout(() => {
      this.#pushing = this.#pushOnce()
        .then((next) => this.#pushSoon(next))
        .catch((error: unknown) => {
          this.#unreachable(error);
          this.#pushSoon(this.#backoff());
        })
        .finally(() => {
          this.#pushing = undefined;
        });
    }, delayMs);
  }

  /** Sends one batch; says how long to wait before the next. */
  async #pushOnce(): Promise<number> {
    const { outbox, client } = this.#options;
    const logger = this.#logger;
    const fresh = Math.max(1, Math.floor(FRESH_PER_BATCH * this.#batchScale));
    const backlog = Math.max(1, Math.floor(BACKLOG_PER_BATCH * this.#batchScale));
    const batch = outbox.batch({ fresh, backlog });
    if (batch.length === 0) return PUSH_EVERY_MS;
    const response = await client.request('POST', `${AGENT_API}/results`, {
      // Each result's JSON as the outbox keeps it: nothing is parsed only to be written again.
      jsonText: `{"results":[${batch.map((item) => item.json).join(',')}]}`,
      gzip: true,
    });
    if (response.status === 200) {
      outbox.ack(batch.map((item) => item.seq));
      this.#connectedAgain();
      this.#batchScale = Math.min(1, this.#batchScale * 2);
      if (outbox.depth() === 0) return PUSH_EVERY_MS;
      // More waiting: the backlog goes at its bounded rate, fresh results ride along in each batch.
      return Math.max(10, Math.round((batch.length / BACKLOG_PER_SECOND) * 1000));
    }
    if (response.status === 413) {
      this.#batchScale /= 2;
      logger.warn('the server found a batch too large; sending smaller ones', { results: batch.length });
      return 0;
    }
    const bad = namedItems(response);
    if ((response.status === 400 || response.status === 403) && bad.size > 0) {
      // Results the server will never take (a check no longer assigned, say): named, counted and dropped,
      // so they cannot block the rest behind them.
      const dropped = batch.filter((_, index) => bad.has(index));
      outbox.ack(dropped.map((item) => item.seq));
      this.#rejected += dropped.length;
      logger.warn('the server refused results; they are dropped', {
        results: dropped.length,
        reason: errorMessage(response),
      });
      this.#connectedAgain();
      return 0;
    }
    this.#accepted(response.status, errorMessage(response));
    return this.#backoff();
  }

  // --- connection state -------------------------------------------------------------------------

  /** True for a 2xx. Anything else is a refusal: said once, and the push loop waits longer each time. */
  #accepted(status: number, message: string): boolean {
    if (status >= 200 && status < 300) {
      this.#connectedAgain();
      return true;
    }
    const logger = this.#logger;
    if (status === 401 || status === 403) {
      // The token is refused: only the operator can mend that.
      this.#trouble(`refused: ${message}`, () =>
        logger.error('the server refuses this agent; results wait in the outbox', {
          status,
          reason: message,
        }),
      );
    } else {
      this.#trouble(`answered ${status}: ${message}`, () =>
        logger.warn('the server refused a request; probing on, results wait in the outbox', {
          status,
          reason: message,
        }),
      );
    }
    return false;
  }

  #connectedAgain(): void {
    if (!this.#connected) {
      this.#logger.info('connected to the server', {
        server: this.#options.client.server,
        waiting: this.#options.outbox.depth(),
      });
      // The server is back: what waits goes now, not when the push loop's backoff ends.
      if (!this.#pushing && !this.#stopped) {
        clearTimeout(this.#pushTimer);
        this.#pushSoon(0);
      }
    }
    this.#connected = true;
    this.#failures = 0;
    this.#troubleLogged = undefined;
  }

  #unreachable(error: unknown): void {
    this.#trouble('unreachable', () =>
      this.#logger.warn('cannot reach the server; probing on, results wait in the outbox', {
        server: this.#options.client.server,
        error: (error as Error).message,
      }),
    );
  }

  /** The server is not taking results for now: logged once per kind of trouble, and the backoff grows. */
  #trouble(kind: string, log: () => void): void {
    if (this.#troubleLogged !== kind) log();
    this.#troubleLogged = kind;
    this.#connected = false;
    this.#failures += 1;
  }

  #backoff(): number {
    const longest = this.#options.maxBackoffMs ?? MAX_BACKOFF_MS;
    // The exponent is bounded only so the power stays finite; the longest wait bounds the wait.
    const base = Math.min(longest, 1_000 * 2 ** Math.min(30, this.#failures));
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  // --- kept assignments -------------------------------------------------------------------------

  #readKept(): Assignments | undefined {
    const file = this.#options.assignmentsFile;
    if (!file) return undefined;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Assignments;
    } catch {
      return undefined;
    }
  }

  #keep(assignments: Assignments): void {
    const file = this.#options.assignmentsFile;
    if (!file) return;
    try {
      // The mode applies when the file is created; chmod covers one left behind by an earlier agent.
      writeFileSync(`${file}.tmp`, JSON.stringify(assignments), { mode: 0o600 });
      chmodSync(`${file}.tmp`, 0o600);
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      this.#logger.warn('cannot keep the assignments for a restart', { file, error });
    }
  }
}

/** The indexes of the batch's items a refusal names, if it names any. */
function namedItems(response: Response): Set<number> {
  const error = (response.body as { error?: { details?: { items?: { index: number }[] } } } | null)?.error;
  return new Set((error?.details?.items ?? []).map((item) => item.index));
}
