/**
 * The few statistics the survey report needs: means with t-intervals, net scores with their normal
 * interval, and Welch's comparison of two years. Pure functions of their inputs.
 */

export type Interval = readonly [lo: number, hi: number];

/** The arithmetic mean; NaN for no values. */
export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** The sample standard deviation (n − 1 divisor); NaN for fewer than two values. */
export function sd(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const m = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - m) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: ~15 significant digits). */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let sum = c[0] ?? 0;
  for (let i = 1; i < c.length; i++) sum += (c[i] ?? 0) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction for the incomplete beta function (modified Lentz), good for x < (a+1)/(a+b+2). */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  // Convergence takes O(√max(a, b)) steps, so a million degrees of freedom needs about a thousand.
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m;
    for (const term of [
      (m * (b - m) * x) / ((a + m2 - 1) * (a + m2)),
      (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)),
    ]) {
      d = 1 + term * d;
      if (Math.abs(d) < tiny) d = tiny;
      c = 1 + term / c;
      if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(x, a, b)) / a
    : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** P(T ≤ t) for Student's t with df degrees of freedom (df may be fractional, as Welch's is). */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t: tCritical(0.975, df) is the two-sided 95% critical value. */
export function tCritical(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be between 0 and 1, not ${p}`);
  if (!(df > 0 && Number.isFinite(df))) throw new RangeError(`df must be positive and finite, not ${df}`);
  if (p < 0.5) return -tCritical(1 - p, df);
  if (p === 0.5) return 0;
  // Results ask for the same few quantiles (0.975 at each group's n − 1) again and again.
  const key = `${p} ${df}`;
  let found = quantiles.get(key);
  if (found === undefined) {
    if (quantiles.size >= 10_000) quantiles.clear();
    found = solveT(p, df);
    quantiles.set(key, found);
  }
  return found;
}

const quantiles = new Map<string, number>();

function solveT(p: number, df: number): number {
  // The CDF is monotonic, so bisection cannot fail; bracket the root by doubling first.
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1e-12 * hi) {
    const middle = (lo + hi) / 2;
    if (tCdf(middle, df) < p) lo = middle;
    else hi = middle;
  }
  return (lo + hi) / 2;
}

function clamp(interval: Interval, to: Interval | undefined): Interval {
  if (!to) return interval;
  return [Math.min(Math.max(interval[0], to[0]), to[1]), Math.min(Math.max(interval[1], to[0]), to[1])];
}

export interface MeanInterval {
  n: number;
  mean: number;
  sd: number;
  ci95: Interval;
}

/** A sample's size, mean and standard deviation. */
export interface Summary {
  n: number;
  mean: number;
  sd: number;
}

/**
 * The summary of a sample kept as its count, sum and sum of squares: mean 0 for no values, standard
 * deviation 0 for fewer than two.
 */
export function summaryOf({ n, sum, squares }: { n: number; sum: number; squares: number }): Summary {
  const m = n > 0 ? sum / n : 0;
  return { n, mean: m, sd: n > 1 ? Math.sqrt(Math.max(0, (squares - n * m * m) / (n - 1))) : 0 };
}

/**
 * Whether values summed as n, sum and sum of squares were all the same (a variance of 0, up to the
 * rounding of fractions such as UMUX-Lite's twelfths). False for none.
 */
export function noSpread({ n, sum, squares }: { n: number; sum: number; squares: number }): boolean {
  if (n <= 0) return false;
  const mean = sum / n;
  return squares / n - mean * mean <= 1e-9 * Math.max(1, mean * mean);
}

/** mean ± t(0.975, n − 1)·s/√n, clamped to the scale's range if given; null below two values. */
export function tInterval(values: readonly number[], clampTo?: Interval): MeanInterval | null {
  return values.length < 2
    ? null
    : tIntervalOf({ n: values.length, mean: mean(values), sd: sd(values) }, clampTo);
}

/** The same from a sample's summary (as kept sums give it). */
export function tIntervalOf({ n, mean: m, sd: s }: Summary, clampTo?: Interval): MeanInterval | null {
  if (n < 2) return null;
  const half = (tCritical(0.975, n - 1) * s) / Math.sqrt(n);
  return { n, mean: m, sd: s, ci95: clamp([m - half, m + half], clampTo) };
}

export interface NetCounts {
  agree: number;
  disagree: number;
  /** Every scored answer, neutral ones included; opt-outs are left out before counting. */
  total: number;
}

export interface NetScore {
  n: number;
  /** % agree − % disagree, in percentage points (−100 … 100). */
  net: number;
  ci95: Interval;
}

/** The net score with d ± 1.96·√((p₊ + p₋ − d²)/n), clamped to ±100; null for no answers. */
export function netScore({ agree, disagree, total }: NetCounts): NetScore | null {
  if (agree < 0 || disagree < 0 || agree + disagree > total) {
    throw new RangeError(`agree ${agree} and disagree ${disagree} do not fit in ${total} answers`);
  }
  if (total === 0) return null;
  const pAgree = agree / total;
  const pDisagree = disagree / total;
  const d = pAgree - pDisagree;
  const half = 1.96 * Math.sqrt((pAgree + pDisagree - d * d) / total);
  return { n: total, net: 100 * d, ci95: clamp([100 * (d - half), 100 * (d + half)], [-100, 100]) };
}

export interface Comparison {
  before: { n: number; mean: number };
  after: { n: number; mean: number };
  /** after − before, so a rise is positive. */
  difference: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  ci95: Interval;
  /** True only when the 95% interval of the difference excludes zero. */
  changed: boolean;
}

/** Welch's comparison of two independent samples (e.g. last year's and this year's); null below n = 2. */
export function welch(before: readonly number[], after: readonly number[]): Comparison | null {
  if (before.length < 2 || after.length < 2) return null;
  return welchOf(
    { n: before.length, mean: mean(before), sd: sd(before) },
    { n: after.length, mean: mean(after), sd: sd(after) },
  );
}

/** The same from each sample's size, mean and standard deviation (as kept sums give them). */
export function welchOf(before: Summary, after: Summary): Comparison | null {
  const { n: n1, mean: m1 } = before;
  const { n: n2, mean: m2 } = after;
  if (n1 < 2 || n2 < 2) return null;
  const v1 = before.sd ** 2 / n1;
  const v2 = after.sd ** 2 / n2;
  const difference = m2 - m1;
  const se = Math.sqrt(v1 + v2);
  // Two samples with no spread at all: the difference is known exactly.
  const df = se === 0 ? n1 + n2 - 2 : (v1 + v2) ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1));
  const half = se === 0 ? 0 : tCritical(0.975, df) * se;
  const ci95: Interval = [difference - half, difference + half];
  return {
    before: { n: n1, mean: m1 },
    after: { n: n2, mean: m2 },
    difference,
    df,
    ci95,
    changed: ci95[0] > 0 || ci95[1] < 0,
  };
}
