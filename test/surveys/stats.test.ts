import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mean,
  netScore,
  sd,
  summaryOf,
  tCdf,
  tCritical,
  tInterval,
  tIntervalOf,
  welch,
} from '../../surveys/stats.js';

describe('mean and standard deviation', () => {
  it('computes the sample (n − 1) standard deviation', () => {
    expect(mean([60, 70, 80, 90])).toBe(75);
    // Squared deviations 225 + 25 + 25 + 225 = 500, over 3.
    expect(sd([60, 70, 80, 90])).toBeCloseTo(Math.sqrt(500 / 3), 12);
    expect(sd([5])).toBeNaN();
    expect(mean([])).toBeNaN();
  });
});

describe('Student t critical value', () => {
  it.each([
    [1, 12.706],
    [2, 4.303],
    [3, 3.182],
    [5, 2.571],
    [10, 2.228],
    [30, 2.042],
    [100, 1.984],
    [1e6, 1.96],
  ])('t(0.975, %d) ≈ %d', (df, expected) => {
    expect(Math.abs(tCritical(0.975, df) - expected)).toBeLessThan(0.001);
  });

  it('matches other table values and is symmetric', () => {
    expect(Math.abs(tCritical(0.95, 10) - 1.812)).toBeLessThan(0.001);
    expect(Math.abs(tCritical(0.995, 20) - 2.845)).toBeLessThan(0.001);
    expect(tCritical(0.025, 7)).toBeCloseTo(-tCritical(0.975, 7), 10);
    expect(tCritical(0.5, 4)).toBe(0);
    // df = 1 is the Cauchy distribution: F⁻¹(p) = tan(π(p − ½)).
    expect(tCritical(0.9, 1)).toBeCloseTo(Math.tan(0.4 * Math.PI), 8);
  });

  it('inverts the CDF, for fractional degrees of freedom too', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 500, noNaN: true }),
        fc.double({ min: 0.51, max: 0.999, noNaN: true }),
        (df, p) => {
          expect(tCdf(tCritical(p, df), df)).toBeCloseTo(p, 9);
        },
      ),
    );
  });

  it('falls as the degrees of freedom rise', () => {
    expect(tCritical(0.975, 6.5)).toBeLessThan(tCritical(0.975, 6));
    expect(tCritical(0.975, 6.5)).toBeGreaterThan(tCritical(0.975, 7));
  });

  it('refuses impossible arguments', () => {
    expect(() => tCritical(1, 5)).toThrow(RangeError);
    expect(() => tCritical(0.975, 0)).toThrow(RangeError);
  });
});

describe('t-interval of a mean', () => {
  it('gives mean ± t(0.975, n − 1)·s/√n', () => {
    // s = √(500/3) = 12.910; s/√4 = 6.455; t(0.975, 3) = 3.1824; half-width 20.543.
    const result = tInterval([60, 70, 80, 90]);
    expect(result?.n).toBe(4);
    expect(result?.mean).toBe(75);
    expect(result?.sd).toBeCloseTo(12.91, 3);
    expect(result?.ci95[0]).toBeCloseTo(54.457, 3);
    expect(result?.ci95[1]).toBeCloseTo(95.543, 3);
  });

  it('clamps to the scale', () => {
    // Mean 98.33, s = 2.887, t(0.975, 2) = 4.3027, half-width 7.171: 91.16 to 105.50, shown as 100.
    const result = tInterval([95, 100, 100], [0, 100]);
    expect(result?.ci95[0]).toBeCloseTo(91.162, 3);
    expect(result?.ci95[1]).toBe(100);
    expect(tInterval([0, 2.5, 0], [0, 100])?.ci95[0]).toBe(0);
  });

  it('needs two values', () => {
    expect(tInterval([70])).toBeNull();
    expect(tInterval([])).toBeNull();
  });

  it('is the same from kept count, sum and sum of squares as from the values', () => {
    const values = [60, 70, 80, 90];
    const kept = summaryOf({ n: 4, sum: 300, squares: 60 ** 2 + 70 ** 2 + 80 ** 2 + 90 ** 2 });
    expect(kept.mean).toBe(75);
    expect(kept.sd).toBeCloseTo(sd(values), 12);
    const fromSums = tIntervalOf(kept, [0, 100]);
    const fromValues = tInterval(values, [0, 100]);
    expect(fromSums?.ci95[0]).toBeCloseTo(fromValues?.ci95[0] ?? Number.NaN, 12);
    expect(fromSums?.ci95[1]).toBeCloseTo(fromValues?.ci95[1] ?? Number.NaN, 12);
    expect(summaryOf({ n: 0, sum: 0, squares: 0 })).toEqual({ n: 0, mean: 0, sd: 0 });
    expect(tIntervalOf(summaryOf({ n: 1, sum: 70, squares: 4900 }))).toBeNull();
  });
});

describe('net score', () => {
  it('gives % agree − % disagree with d ± 1.96·√((p₊ + p₋ − d²)/n)', () => {
    // d = 0.6 − 0.2 = 0.4; (0.8 − 0.16)/100 = 0.0064; √ = 0.08; × 1.96 = 0.1568.
    const result = netScore({ agree: 60, disagree: 20, total: 100 });
    expect(result?.n).toBe(100);
    expect(result?.net).toBeCloseTo(40, 10);
    expect(result?.ci95[0]).toBeCloseTo(24.32, 10);
    expect(result?.ci95[1]).toBeCloseTo(55.68, 10);
  });

  it('is negative when more disagree, and clamped to ±100', () => {
    // d = −0.5; (0.5 − 0.25)/50 = 0.005; √ = 0.070711; × 1.96 = 0.138593.
    const result = netScore({ agree: 0, disagree: 25, total: 50 });
    expect(result?.net).toBe(-50);
    expect(result?.ci95[0]).toBeCloseTo(-63.859, 3);
    expect(result?.ci95[1]).toBeCloseTo(-36.141, 3);
    // d = 0.9; (0.9 − 0.81)/10 = 0.009; half-width 0.186: 71.4 to 108.6, shown as 100.
    expect(netScore({ agree: 9, disagree: 0, total: 10 })?.ci95[1]).toBe(100);
  });

  it('needs answers that add up', () => {
    expect(netScore({ agree: 0, disagree: 0, total: 0 })).toBeNull();
    expect(() => netScore({ agree: 6, disagree: 5, total: 10 })).toThrow(RangeError);
  });
});

describe('Welch comparison of two years', () => {
  it('calls a change when the interval of the difference excludes zero', () => {
    // Each variance 20/3, over n = 4: 5/3; se = √(10/3) = 1.826; df = (10/3)² / (2·(5/3)²/3) = 6;
    // t(0.975, 6) = 2.44691; half-width 4.46743.
    const result = welch([60, 62, 64, 66], [80, 82, 84, 86]);
    expect(result?.before).toEqual({ n: 4, mean: 63 });
    expect(result?.after).toEqual({ n: 4, mean: 83 });
    expect(result?.difference).toBe(20);
    expect(result?.df).toBeCloseTo(6, 10);
    expect(result?.ci95[0]).toBeCloseTo(15.5326, 4);
    expect(result?.ci95[1]).toBeCloseTo(24.4674, 4);
    expect(result?.changed).toBe(true);
    expect(welch([80, 82, 84, 86], [60, 62, 64, 66])?.changed).toBe(true);
  });

  it('does not call a change when the interval includes zero', () => {
    // Variances 500/3 and 145, over n: 41.67 and 29; se² = 70.67;
    // df = 70.67² / (41.67²/3 + 29²/4) = 6.33.
    const result = welch([60, 70, 80, 90], [70, 80, 90, 100, 95]);
    expect(result?.difference).toBe(12);
    expect(result?.df).toBeCloseTo(6.3296, 4);
    const half = tCritical(0.975, 6.3296) * Math.sqrt(500 / 12 + 29);
    expect(result?.ci95[0]).toBeCloseTo(12 - half, 3);
    expect(result?.ci95[1]).toBeCloseTo(12 + half, 3);
    expect(result?.ci95[0]).toBeLessThan(0);
    expect(result?.changed).toBe(false);
  });

  it('handles samples without spread and needs two values a side', () => {
    expect(welch([70, 70], [70, 70])?.changed).toBe(false);
    expect(welch([70, 70], [75, 75])?.ci95).toEqual([5, 5]);
    expect(welch([70], [75, 80])).toBeNull();
  });
});
