import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { runProbe } from '../probes/run.js';
import {
  AGENT_API,
  type Assignments,
  HEARTBEAT_MS,
  pushedResult,
  SKEW_LIMIT_MS,
} from '../server/agents/wire.js';
import type { Check, System } from '../server/config/schema.js';
import type { Logger } from '../server/logger.js';
import type { ProbeMetrics } from '../server/metrics.js';
import type { RunRecord } from '../server/results/record.js';
import { type RunProbe, Scheduler } from '../server/scheduler/scheduler.js';
import { realTimers, type Timers } from '../server/scheduler/timers.js';
import { errorMessage, type ServerClient } from './client.js';
import type { Outbox } from './outbox.js';

export interface AgentOptions {
  client: ServerClient;
  outbox: Outbox;
  logger: Logger;
  version: string;
  /** Where the last assignments are kept, so a restart while the server is away still probes. */
  assignmentsFile?: string;
  timers?: Timers;
  run?: RunProbe;
  metrics?: ProbeMetrics;
  /** Told after every push and poll, for /metrics and status. */
  onStatus?: (status: AgentStatus) => void;
  /** How often assignments are asked for (they are refreshed within this of an estate change). */
  pollMs?: number;
  /** How often fresh results are pushed. */
  pushEveryMs?: number;
  /** Results per batch: the newest (fresh) and the oldest (backlog) waiting. */
  fresh?: number;
  backlog?: number;
  /** The most backlog results sent per second once the server is back, so it is never swamped. */
  backlogPerSecond?: number;
  concurrency?: number;
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

/**
 * An agent at a site: pulls the checks assigned to its site, runs them with the server's own
 * scheduler and probes, and pushes the results. Every result goes to the outbox first and leaves it
 * only once the server has acknowledged it, so a server that is down, a link that drops or a killed
 * agent loses nothing; the backlog is sent oldest first at a bounded rate beside fresh results.
 */
export class Agent {
  readonly #options: AgentOptions;
  readonly #timers: Timers;
  #scheduler: Scheduler | undefined;
  #assignments: Assignments | undefined;
  #etag: string | undefined;
  #systems = new Map<string, System>();
  #pollTimer: unknown;
  #pushTimer: unknown;
  #pushing: Promise<void> | undefined;
  #polling: Promise<void> | undefined;
  #stopped = false;
  #failures = 0;
  #connected = false;
  #refusedWhy: string | undefined;
  #rejected = 0;
  #clockOffsetMs: number | undefined;
  #batchScale = 1;

  constructor(options: AgentOptions) {
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
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
      this.#options.logger.info('probing with the assignments kept from last time', {
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
    this.#timers.clearTimeout(this.#pollTimer);
    this.#timers.clearTimeout(this.#pushTimer);
    await this.#scheduler?.stop();
    await this.#polling;
    await this.#pushing;
    if (this.#options.outbox.depth() > 0 && this.#connected) await this.#pushOnce().catch(() => undefined);
  }

  // --- assignments and heartbeats ---------------------------------------------------------------

  #pollSoon(delayMs: number): void {
    if (this.#stopped) return;
    this.#pollTimer = this.#timers.setTimeout(() => {
      this.#polling = this.#poll().finally(() => {
        this.#polling = undefined;
        this.#pollSoon(this.#options.pollMs ?? HEARTBEAT_MS);
      });
    }, delayMs);
  }

  async #poll(): Promise<void> {
    const { client, outbox, logger, version } = this.#options;
    try {
      const sentAt = Date.now();
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
        const offset = sentAt + (Date.now() - sentAt) / 2 - serverTime;
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
    } finally {
      this.#report();
    }
  }

  #apply(assignments: Assignments): void {
    const { logger } = this.#options;
    const before = this.#assignments;
    if (before && before.site.id !== assignments.site.id) {
      // A token for another site: a fresh scheduler, under the new site's name.
      void this.#scheduler?.stop();
      this.#scheduler = undefined;
    }
    this.#assignments = assignments;
    this.#systems = new Map(assignments.systems.map((s) => [s.id, s as System]));
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
    const { outbox, metrics, logger, concurrency } = this.#options;
    return new Scheduler({
      timers: this.#timers,
      run: this.#options.run ?? runProbe,
      vantagePoint: site,
      logger,
      ...(concurrency ? { concurrency } : {}),
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
    this.#pushTimer = this.#timers.setTimeout(() => {
      this.#pushing = this.#pushOnce()
        .then((next) => this.#pushSoon(next))
        .catch((error: unknown) => {
          this.#unreachable(error);
          this.#pushSoon(this.#backoff());
        })
        .finally(() => {
          this.#pushing = undefined;
          this.#report();
        });
    }, delayMs);
  }

  /** Sends one batch; says how long to wait before the next. */
  async #pushOnce(): Promise<number> {
    const { outbox, client, logger } = this.#options;
    const everyMs = this.#options.pushEveryMs ?? 1_000;
    const fresh = Math.max(1, Math.floor((this.#options.fresh ?? 500) * this.#batchScale));
    const backlog = Math.max(1, Math.floor((this.#options.backlog ?? 1_000) * this.#batchScale));
    const batch = outbox.batch({ fresh, backlog });
    if (batch.length === 0) return everyMs;
    const response = await client.request('POST', `${AGENT_API}/results`, {
      json: { results: batch.map((item) => item.payload) },
      gzip: true,
    });
    if (response.status === 200) {
      outbox.ack(batch.map((item) => item.seq));
      this.#connectedAgain();
      this.#batchScale = Math.min(1, this.#batchScale * 2);
      if (outbox.depth() === 0) return everyMs;
      // More waiting: the backlog goes at its bounded rate, fresh results ride along in each batch.
      const perSecond = this.#options.backlogPerSecond ?? 5_000;
      return Math.max(10, Math.round((batch.length / perSecond) * 1000));
    }
    if (response.status === 413) {
      this.#batchScale /= 2;
      logger.warn('the server found a batch too large; sending smaller ones', { results: batch.length });
      return 0;
    }
    if (response.status === 400 || response.status === 403) {
      // Results the server will never take (a check no longer assigned, say): named, counted and dropped,
      // so they cannot block the rest behind them.
      const items = (response.body as { error?: { details?: { items?: { index: number }[] } } }).error
        ?.details?.items;
      const bad = new Set((items ?? []).map((item) => item.index));
      if (bad.size === 0) throw new Error(`the server refused a batch: ${errorMessage(response)}`);
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
    if (!this.#accepted(response.status, errorMessage(response))) return this.#backoff();
    throw new Error(`the server answered ${response.status}: ${errorMessage(response)}`);
  }

  // --- connection state -------------------------------------------------------------------------

  /** True for a 2xx; logs a refused token once, as the operator must act on it. */
  #accepted(status: number, message: string): boolean {
    if (status >= 200 && status < 300) {
      this.#connectedAgain();
      return true;
    }
    if (status === 401 || status === 403) {
      if (this.#refusedWhy !== message) {
        this.#options.logger.error('the server refuses this agent; results wait in the outbox', {
          status,
          reason: message,
        });
        this.#refusedWhy = message;
      }
      this.#connected = false;
      return false;
    }
    this.#unreachable(new Error(`HTTP ${status}: ${message}`));
    return false;
  }

  #connectedAgain(): void {
    if (!this.#connected) {
      this.#options.logger.info('connected to the server', {
        server: this.#options.client.server,
        waiting: this.#options.outbox.depth(),
      });
      // The server is back: what waits goes now, not when the push loop's backoff ends.
      if (!this.#pushing && !this.#stopped) {
        this.#timers.clearTimeout(this.#pushTimer);
        this.#pushSoon(0);
      }
    }
    this.#connected = true;
    this.#failures = 0;
    this.#refusedWhy = undefined;
  }

  #unreachable(error: unknown): void {
    if (this.#connected || this.#failures === 0) {
      this.#options.logger.warn('cannot reach the server; probing on, results wait in the outbox', {
        server: this.#options.client.server,
        error: (error as Error).message,
      });
    }
    this.#connected = false;
    this.#failures += 1;
  }

  #backoff(): number {
    const base = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.min(5, this.#failures));
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  #report(): void {
    this.#options.onStatus?.(this.status());
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
      writeFileSync(`${file}.tmp`, JSON.stringify(assignments));
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      this.#options.logger.warn('cannot keep the assignments for a restart', { file, error });
    }
  }
}
