/**
 * Who is responsible when a check looks worse: the one rule shared by pages (and, next, principles,
 * reports and alerts). A problem seen from at least half of the vantage points compared is the
 * system owner's; one seen from fewer is the host's of each site that sees it.
 */

/**
 * Runs a vantage point needs in the window before it is judged. Availability is judged against 99%,
 * and below 100 runs a single failed run would already put a place under it, so one transient
 * failure would name an organisation. A p95 from 100 runs rests on its 5 slowest, not on one outlier
 * (the chance that none of 100 runs falls in the slowest 5% is 0.95^100, under 1%).
 */
export const MIN_RUNS = 100;
/** Under this share of measured runs up, a vantage point is failing. */
export const AVAILABILITY_BELOW = 0.99;
/** A vantage point whose p95 is over this many times the median p95 of the others is slower than them. */
export const SLOWER_THAN_OTHERS = 1.5;
/**
 * A vantage point whose p95 is over this many times the check's typical time (its median over every
 * run) has a slow tail: 1 run in 20 takes more than three times as long as usual. It catches a
 * slowdown everywhere, which comparing places with each other cannot. A steady system with the long
 * tail real ones have (log-normal, spread up to 0.65) stays under it.
 */
export const SLOW_TAIL = 3;

export const THRESHOLDS = {
  minRuns: MIN_RUNS,
  availabilityBelow: AVAILABILITY_BELOW,
  slowerThanOthers: SLOWER_THAN_OTHERS,
  slowTail: SLOW_TAIL,
} as const;

/** What one vantage point measured in the window. */
export interface VantagePointFigures {
  /** 'server' or a site id. */
  vantagePoint: string;
  /** Measured runs (ok, degraded and failed; skipped ones are not measurements). */
  runs: number;
  availability: number | null;
  p50: number | null;
  p95: number | null;
  /** Its state now is unknown: silence is not a failure, so it is left out. */
  silent: boolean;
}

export interface VerdictInput {
  vantagePoints: VantagePointFigures[];
  /** The check's median total time over every run in the window: the system's own baseline. */
  typicalMs: number | null;
  /** The check's `expect.degradedMs`: its own word for slow, when it has one. */
  degradedMs?: number;
  /** The host organisation of a vantage point's site; null for the Vantage server, which has none. */
  hostOf: (vantagePoint: string) => string | null;
  owner: string;
}

export type Problem = 'failing' | 'slower-than-others' | 'slow-tail' | 'over-degraded';

export interface JudgedVantagePoint extends VantagePointFigures {
  /** Whether it was compared, or why it was left out. */
  judged: 'compared' | 'silent' | 'too-few-runs';
  host: string | null;
  problems: Problem[];
}

export type Outcome = 'no-results' | 'not-enough-runs' | 'similar' | 'local' | 'system';

export interface Responsible {
  organisation: string | null;
  role: 'owner' | 'host';
  vantagePoints: string[];
}

export interface Verdict {
  outcome: Outcome;
  /** The system's owner, or the host of each site that sees the problem (one entry per site). */
  responsible: Responsible[];
  /** The evidence: every vantage point with its figures and what was found there. */
  vantagePoints: JudgedVantagePoint[];
  compared: number;
  worse: number;
  typicalMs: number | null;
  degradedMs: number | null;
  thresholds: typeof THRESHOLDS;
}

/** The verdict for one check from its vantage points' figures. */
export function judge(input: VerdictInput): Verdict {
  const left = (vp: VantagePointFigures): JudgedVantagePoint['judged'] =>
    vp.silent ? 'silent' : vp.runs < MIN_RUNS ? 'too-few-runs' : 'compared';
  const judged: JudgedVantagePoint[] = input.vantagePoints.map((vp) => ({
    ...vp,
    judged: left(vp),
    host: input.hostOf(vp.vantagePoint),
    problems: [],
  }));
  const compared = judged.filter((vp) => vp.judged === 'compared');
  for (const vp of compared) vp.problems = problemsOf(vp, compared, input);
  const worse = compared.filter((vp) => vp.problems.length > 0);
  const base = {
    vantagePoints: judged,
    compared: compared.length,
    worse: worse.length,
    typicalMs: input.typicalMs,
    degradedMs: input.degradedMs ?? null,
    thresholds: THRESHOLDS,
  };
  if (compared.length === 0) {
    const heard = judged.some((vp) => !vp.silent && vp.runs > 0);
    return { ...base, outcome: heard ? 'not-enough-runs' : 'no-results', responsible: [] };
  }
  if (worse.length === 0) return { ...base, outcome: 'similar', responsible: [] };
  if (worse.length * 2 >= compared.length) {
    const everyWorse = worse.map((vp) => vp.vantagePoint);
    return {
      ...base,
      outcome: 'system',
      responsible: [{ organisation: input.owner, role: 'owner', vantagePoints: everyWorse }],
    };
  }
  return {
    ...base,
    outcome: 'local',
    responsible: worse.map((vp) => ({
      organisation: vp.host,
      role: 'host',
      vantagePoints: [vp.vantagePoint],
    })),
  };
}

function problemsOf(vp: JudgedVantagePoint, compared: JudgedVantagePoint[], input: VerdictInput): Problem[] {
  const problems: Problem[] = [];
  if (vp.availability !== null && vp.availability < AVAILABILITY_BELOW) problems.push('failing');
  if (vp.p95 === null) return problems;
  const others = compared.filter((o) => o !== vp).map((o) => o.p95);
  const othersMedian = median(others.filter((p95): p95 is number => p95 !== null));
  if (othersMedian !== null && othersMedian > 0 && vp.p95 > SLOWER_THAN_OTHERS * othersMedian)
    problems.push('slower-than-others');
  if (input.typicalMs !== null && input.typicalMs > 0 && vp.p95 > SLOW_TAIL * input.typicalMs)
    problems.push('slow-tail');
  if (input.degradedMs !== undefined && vp.p95 > input.degradedMs) problems.push('over-degraded');
  return problems;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
