import type { CheckRow, StoredEstate } from '../estate/rows.js';
import { type CheckSummary, checkSummary } from '../results/check-summary.js';
import type { Window } from '../results/summary.js';
import type { VantagePointState } from '../results/vantage.js';
import type { ResultsStore } from '../store/results.js';
import { type JudgedVantagePoint, judge, type THRESHOLDS, type Verdict } from './verdict.js';

/** A vantage point as the responsibility answer shows it: the verdict's evidence and its state now. */
export type VantagePointEvidence = JudgedVantagePoint & {
  /** Runs its schedule called for since it was first heard in the window, and those that never came. */
  expected: number;
  unknown: number;
  now: VantagePointState | null;
};

export type CheckVerdict = Omit<Verdict, 'vantagePoints'> & {
  checkId: string;
  name: string | null;
  vantagePoints: VantagePointEvidence[];
};

/** The answer of GET /api/v1/systems/:id/responsibility, which the system page only shows. */
export interface SystemResponsibility {
  systemId: string;
  owner: string;
  window: Window;
  to: string;
  thresholds: typeof THRESHOLDS;
  checks: CheckVerdict[];
}

/** Each check of a system judged over the window: worse at some sites (their hosts) or everywhere (its owner). */
export async function systemResponsibility(
  store: ResultsStore,
  estate: StoredEstate,
  systemId: string,
  window: Window,
  now: number,
): Promise<CheckVerdict[]> {
  const system = estate.systems.find((s) => s.id === systemId);
  if (!system) return [];
  const hosts = new Map(estate.sites.map((site) => [site.id, site.host]));
  const checks = estate.checks.filter((check) => check.system === systemId);
  return Promise.all(
    checks.map(async (check) => {
      const summary = await checkSummary(store, check, window, now);
      return checkVerdict(check, summary, (vp) => hosts.get(vp) ?? null, system.owner);
    }),
  );
}

/** The verdict for one check from its summary: every place it ran from or should run from is evidence. */
export function checkVerdict(
  check: CheckRow,
  summary: CheckSummary,
  hostOf: (vantagePoint: string) => string | null,
  owner: string,
): CheckVerdict {
  const states = new Map(summary.states.map((state) => [state.vantagePoint, state]));
  const measured = new Map(summary.vantagePoints.map((point) => [point.vantagePoint, point]));
  const places = [...new Set([...measured.keys(), ...states.keys()])];
  const figures = places.map((vantagePoint) => {
    const point = measured.get(vantagePoint);
    const { ok = 0, degraded = 0, fail = 0 } = point?.counts ?? {};
    return {
      vantagePoint,
      runs: ok + degraded + fail,
      availability: point?.availability ?? null,
      p50: point?.phases.totalMs.p50 ?? null,
      p95: point?.phases.totalMs.p95 ?? null,
      silent: states.get(vantagePoint)?.state === 'unknown',
    };
  });
  const verdict = judge({
    vantagePoints: figures,
    typicalMs: summary.overall.phases.totalMs.p50,
    ...degradedMsOf(check),
    hostOf,
    owner,
  });
  return {
    ...verdict,
    checkId: check.id,
    name: check.name,
    vantagePoints: verdict.vantagePoints.map((vp) => ({
      ...vp,
      expected: measured.get(vp.vantagePoint)?.expected ?? 0,
      unknown: measured.get(vp.vantagePoint)?.unknown ?? 0,
      now: states.get(vp.vantagePoint) ?? null,
    })),
  };
}

function degradedMsOf(check: CheckRow): { degradedMs?: number } {
  const degradedMs = (check.definition as { expect?: { degradedMs?: number } }).expect?.degradedMs;
  return degradedMs === undefined ? {} : { degradedMs };
}
