import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { LOCAL_FAILURES, localCode } from '../probes/classify.js';
import { MAX_AHEAD_MS } from '../runs/agent-wire.js';
import type { RunRecord } from '../runs/record.js';
import type { Check, Estate, System } from './config/schema.js';
import type { Subsystem } from './lifecycle/subsystem.js';
import type { StoredResults } from './results/stream.js';

const LABELS = ['check', 'site', 'system', 'organisation'] as const;
type Labels = Record<(typeof LABELS)[number], string>;

/** blackbox_exporter's phase names, so existing Grafana dashboards work. */
const HTTP_PHASES = {
  dnsMs: 'resolve',
  connectMs: 'connect',
  tlsMs: 'tls',
  ttfbMs: 'processing',
  transferMs: 'transfer',
} as const;
const PHASE_KEYS = Object.keys(HTTP_PHASES) as (keyof typeof HTTP_PHASES)[];

/** Each run's result label, made once rather than per run. */
const RESULT_LABELS = {
  ok: { result: 'ok' },
  degraded: { result: 'degraded' },
  fail: { result: 'fail' },
  skipped: { result: 'skipped' },
} as const;

/** Why the server refused a result an agent pushed; see refusedResultsCounter. */
export type RefusedReason = 'future' | 'invalid' | 'unassigned';

/**
 * Counts results agents pushed that the server refused for good, by reason: dated too far ahead of
 * its clock, malformed, or for a check not assigned to the agent's site. Every reason starts at 0,
 * so an alert on any of them has a series from the start.
 */
export function refusedResultsCounter(registry: Registry): (reason: RefusedReason, count: number) => void {
  const counter = new Counter({
    name: 'vantage_pushed_results_refused_total',
    help: `Results agents pushed that the server refused: dated more than ${MAX_AHEAD_MS / 60_000} minutes ahead of its clock (future), malformed (invalid) or for a check not assigned to the agent's site (unassigned)`,
    labelNames: ['reason'],
    registers: [registry],
  });
  const reasons: RefusedReason[] = ['future', 'invalid', 'unassigned'];
  for (const reason of reasons) counter.inc({ reason }, 0);
  return (reason, count) => {
    if (count > 0) counter.inc({ reason }, count);
  };
}

/** One series of a SeriesGauge: its labels and its last value, changed in place. */
interface Series {
  readonly labels: Readonly<Record<string, string>>;
  value: number;
}

/**
 * A gauge whose series are objects its caller keeps, so setting a value allocates nothing.
 * prom-client's Gauge.set hashes the labels on every call (their keys, sorted, joined into a string)
 * and stores a new entry; at 10,000 checks a minute that was ~15 KB of garbage per run, and each
 * entry lived a minute, long enough to be promoted to the old space before dying there.
 */
class SeriesGauge extends Gauge<string> {
  /** The series published, in the order first published (as prom-client orders them). */
  readonly #published = new Set<Series>();

  /** Sets a series' value, publishing it if it was not. */
  setSeries(series: Series, value: number): void {
    series.value = value;
    this.#published.add(series);
  }

  /** Stops publishing a series. */
  drop(series: Series): void {
    this.#published.delete(series);
  }

  override async get() {
    const own = await super.get();
    return { ...own, values: [...own.values, ...this.#published] };
  }

  override reset(): void {
    super.reset();
    // Gauge's constructor resets before this class's fields exist.
    if (#published in this) this.#published.clear();
  }
}

function series(labels: Readonly<Record<string, string>>): Series {
  return { labels, value: 0 };
}

/** The series of one (check, vantage point), made on its first run and reused by every later one. */
interface CheckSeries {
  labels: Labels;
  success: Series;
  duration: Series;
  /** In PHASE_KEYS order. */
  phases: Series[];
  status: Series;
  certExpiry: Series;
  /** Start of the run the series show, so a late result (an agent's backlog) never overwrites a newer one. */
  at: number;
}

/**
 * The /metrics series: per (check, vantage point) the probe_* series named as blackbox_exporter
 * names them, plus Vantage's own. Label values are ids from the estate file, never free text.
 */
export class ProbeMetrics {
  readonly registry: Registry;
  readonly #success: SeriesGauge;
  readonly #duration: SeriesGauge;
  readonly #phase: SeriesGauge;
  readonly #status: SeriesGauge;
  readonly #certExpiry: SeriesGauge;
  readonly #runs: Counter;
  readonly #local: Counter;
  readonly #lateness: Histogram;
  /** The series in use per check and vantage point, so a removed check's series can be removed. */
  readonly #series = new Map<string, Map<string, CheckSeries>>();

  constructor(registry = new Registry(), options: { processMetrics?: boolean } = {}) {
    this.registry = registry;
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
    const gauge = (name: string, help: string, extra: string[] = []) =>
      new SeriesGauge({ name, help, labelNames: [...LABELS, ...extra], registers: [registry] });
    this.#success = gauge('probe_success', 'Whether the last run succeeded (1) or failed (0)');
    this.#duration = gauge('probe_duration_seconds', 'How long the last run took, in seconds');
    this.#phase = gauge('probe_http_duration_seconds', 'Duration of the last run by phase, in seconds', [
      'phase',
    ]);
    this.#status = gauge('probe_http_status_code', 'HTTP status code of the last run');
    this.#certExpiry = gauge(
      'probe_ssl_earliest_cert_expiry',
      'Earliest certificate expiry, in Unix seconds',
    );
    this.#runs = new Counter({
      name: 'vantage_check_runs_total',
      help: 'Runs by result',
      labelNames: ['result'],
      registers: [registry],
    });
    for (const labels of Object.values(RESULT_LABELS)) this.#runs.inc(labels, 0);
    this.#local = new Counter({
      name: 'vantage_local_failures_total',
      help: 'Runs skipped because this machine ran short (file descriptors, memory), by error code',
      labelNames: ['code'],
      registers: [registry],
    });
    for (const code of Object.keys(LOCAL_FAILURES)) this.#local.inc({ code }, 0);
    this.#lateness = new Histogram({
      name: 'vantage_scheduler_lateness_seconds',
      help: 'Actual start of a run minus its planned start, in seconds',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    });
  }

  /**
   * One run: counted, and shown by the probe series if it is the newest of its check and vantage
   * point. `latenessMs` is for runs of this process's own scheduler; runs reported by agents have none.
   */
  observe(run: RunRecord, check: Check, system: System | undefined, latenessMs?: number): void {
    this.#runs.inc(RESULT_LABELS[run.state]);
    if (run.error?.class === 'local') this.#local.inc({ code: localCode(run.error.message) });
    if (run.state === 'skipped') return;
    if (latenessMs !== undefined) this.observeLateness(latenessMs);
    const series = this.#seriesOf(check, run.vantagePoint, system?.owner ?? '');
    if (run.startedAt < series.at) return;
    series.at = run.startedAt;

    this.#success.setSeries(series.success, run.state === 'fail' ? 0 : 1);
    if (run.phases) {
      this.#duration.setSeries(series.duration, run.phases.totalMs / 1000);
      if (check.type === 'http') {
        for (let i = 0; i < PHASE_KEYS.length; i++) {
          const ms = run.phases[PHASE_KEYS[i] as keyof typeof HTTP_PHASES];
          this.#phase.setSeries(series.phases[i] as Series, (ms ?? 0) / 1000);
        }
      }
    }
    if (run.status !== undefined) this.#status.setSeries(series.status, run.status);
    const expiry = run.details?.certificate?.validTo;
    if (expiry) this.#certExpiry.setSeries(series.certExpiry, Date.parse(expiry) / 1000);
  }

  /** How late this process's scheduler started a run (not counted for skipped runs). */
  observeLateness(latenessMs: number): void {
    this.#lateness.observe(Math.max(0, latenessMs) / 1000);
  }

  /** Removes every series of checks no longer in the estate. */
  retain(checkIds: Set<string>): void {
    for (const [checkId, perCheck] of this.#series) {
      if (checkIds.has(checkId)) continue;
      for (const series of perCheck.values()) this.#drop(series);
      this.#series.delete(checkId);
    }
  }

  /** The series of a check at a vantage point; new ones when its system or owner has changed. */
  #seriesOf(check: Check, site: string, organisation: string): CheckSeries {
    let perCheck = this.#series.get(check.id);
    if (perCheck === undefined) {
      perCheck = new Map();
      this.#series.set(check.id, perCheck);
    }
    const known = perCheck.get(site);
    if (known && known.labels.system === check.system && known.labels.organisation === organisation)
      return known;
    if (known) this.#drop(known);
    const labels: Labels = { check: check.id, site, system: check.system, organisation };
    const made: CheckSeries = {
      labels,
      success: series(labels),
      duration: series(labels),
      phases: PHASE_KEYS.map((key) => series({ ...labels, phase: HTTP_PHASES[key] })),
      status: series(labels),
      certExpiry: series(labels),
      at: 0,
    };
    perCheck.set(site, made);
    return made;
  }

  #drop(series: CheckSeries): void {
    this.#success.drop(series.success);
    this.#duration.drop(series.duration);
    for (const phase of series.phases) this.#phase.drop(phase);
    this.#status.drop(series.status);
    this.#certExpiry.drop(series.certExpiry);
  }
}

/**
 * The probe series kept current from the stream of stored results: every run stored, the server's
 * and those agents report, labelled with its check's system and owner as the estate has them now.
 */
export class StoredRunsMetrics implements Subsystem {
  readonly name = 'metrics';
  readonly #metrics: ProbeMetrics;
  readonly #stream: StoredResults;
  #checks = new Map<string, Check>();
  #systems = new Map<string, System>();
  #unsubscribe: (() => void) | undefined;

  constructor(deps: { metrics: ProbeMetrics; stream: StoredResults }) {
    this.#metrics = deps.metrics;
    this.#stream = deps.stream;
  }

  apply(estate: Estate): void {
    this.#checks = new Map(estate.checks.map((check) => [check.id, check]));
    this.#systems = new Map(estate.systems.map((system) => [system.id, system]));
    this.#metrics.retain(new Set(this.#checks.keys()));
  }

  start(): void {
    this.#unsubscribe ??= this.#stream.subscribe('metrics', (runs) => {
      for (const run of runs) {
        const check = this.#checks.get(run.checkId);
        if (check) this.#metrics.observe(run, check, this.#systems.get(check.system));
      }
    });
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}
