import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Check, System } from './config/schema.js';
import type { RunRecord } from './results/record.js';

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

/**
 * The /metrics series: per (check, vantage point) the probe_* series named as blackbox_exporter
 * names them, plus Vantage's own. Label values are ids from the estate file, never free text.
 */
export class ProbeMetrics {
  readonly registry: Registry;
  readonly #success: Gauge;
  readonly #duration: Gauge;
  readonly #phase: Gauge;
  readonly #status: Gauge;
  readonly #certExpiry: Gauge;
  readonly #runs: Counter;
  readonly #lateness: Histogram;
  /** Label sets in use per check, so a removed check's series can be removed. */
  readonly #series = new Map<string, Map<string, Labels>>();

  constructor(registry = new Registry(), options: { processMetrics?: boolean } = {}) {
    this.registry = registry;
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
    const gauge = (name: string, help: string, extra: string[] = []) =>
      new Gauge({ name, help, labelNames: [...LABELS, ...extra], registers: [registry] });
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
    for (const result of ['ok', 'degraded', 'fail', 'skipped']) this.#runs.inc({ result }, 0);
    this.#lateness = new Histogram({
      name: 'vantage_scheduler_lateness_seconds',
      help: 'Actual start of a run minus its planned start, in seconds',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    });
  }

  observe(run: RunRecord, check: Check, system: System | undefined, latenessMs: number): void {
    this.#runs.inc({ result: run.state });
    if (run.state === 'skipped') return;
    this.#lateness.observe(Math.max(0, latenessMs) / 1000);
    const labels: Labels = {
      check: check.id,
      site: run.vantagePoint,
      system: check.system,
      organisation: system?.owner ?? '',
    };
    const perCheck = this.#series.get(check.id) ?? new Map<string, Labels>();
    perCheck.set(run.vantagePoint, labels);
    this.#series.set(check.id, perCheck);

    this.#success.set(labels, run.state === 'fail' ? 0 : 1);
    if (run.phases) {
      this.#duration.set(labels, run.phases.totalMs / 1000);
      if (check.type === 'http') {
        for (const [key, phase] of Object.entries(HTTP_PHASES)) {
          const ms = run.phases[key as keyof typeof HTTP_PHASES];
          this.#phase.set({ ...labels, phase }, (ms ?? 0) / 1000);
        }
      }
    }
    if (run.status !== undefined) this.#status.set(labels, run.status);
    const expiry = run.details?.certificate?.validTo;
    if (expiry) this.#certExpiry.set(labels, Date.parse(expiry) / 1000);
  }

  /** Removes every series of checks no longer in the estate. */
  retain(checkIds: Set<string>): void {
    for (const [checkId, perCheck] of this.#series) {
      if (checkIds.has(checkId)) continue;
      for (const labels of perCheck.values()) {
        for (const gauge of [this.#success, this.#duration, this.#status, this.#certExpiry])
          gauge.remove(labels);
        for (const phase of Object.values(HTTP_PHASES)) this.#phase.remove({ ...labels, phase });
      }
      this.#series.delete(checkId);
    }
  }
}
