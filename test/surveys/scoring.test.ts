import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type SusAnswers,
  susEquivalent,
  susGrade,
  susScore,
  umuxLiteScore,
  validateAnswers,
} from '../../surveys/scoring.js';

function sus(...r: SusAnswers[keyof SusAnswers][]): SusAnswers {
  const [
    sus1 = 3,
    sus2 = 3,
    sus3 = 3,
    sus4 = 3,
    sus5 = 3,
    sus6 = 3,
    sus7 = 3,
    sus8 = 3,
    sus9 = 3,
    sus10 = 3,
  ] = r;
  return { sus1, sus2, sus3, sus4, sus5, sus6, sus7, sus8, sus9, sus10 };
}

const susResponse = fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const, 5 as const);
const umuxResponse = fc.integer({ min: 1, max: 7 }) as fc.Arbitrary<1 | 2 | 3 | 4 | 5 | 6 | 7>;

describe('SUS score', () => {
  it('scores the worked examples', () => {
    expect(susScore(sus(3, 3, 3, 3, 3, 3, 3, 3, 3, 3))).toBe(50);
    expect(susScore(sus(5, 1, 5, 1, 5, 1, 5, 1, 5, 1))).toBe(100);
    expect(susScore(sus(1, 5, 1, 5, 1, 5, 1, 5, 1, 5))).toBe(0);
    // Odd (4,4,4,5,4) → 3+3+3+4+3 = 16; even (2,1,2,1,2) → 3+4+3+4+3 = 17; 33 × 2.5.
    expect(susScore(sus(4, 2, 4, 1, 4, 2, 5, 1, 4, 2))).toBe(82.5);
    // Odd (2,3,1,4,2) → 1+2+0+3+1 = 7; even (4,5,2,3,4) → 1+0+3+2+1 = 7; 14 × 2.5.
    expect(susScore(sus(2, 4, 3, 5, 1, 2, 4, 3, 2, 4))).toBe(35);
  });

  it('is always 0–100 in steps of 2.5', () => {
    fc.assert(
      fc.property(fc.array(susResponse, { minLength: 10, maxLength: 10 }), (r) => {
        const score = susScore(sus(...r));
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
        expect(Number.isInteger(score / 2.5)).toBe(true);
      }),
    );
  });

  it('rises with agreement on the positive (odd) items and falls with it on the negative (even) ones', () => {
    fc.assert(
      fc.property(
        fc.array(susResponse, { minLength: 10, maxLength: 10 }),
        fc.integer({ min: 0, max: 9 }),
        (r, i) => {
          fc.pre((r[i] ?? 5) < 5);
          const raised = r.map((value, j) => (j === i ? value + 1 : value)) as typeof r;
          const change = susScore(sus(...raised)) - susScore(sus(...r));
          expect(change).toBe(i % 2 === 0 ? 2.5 : -2.5);
        },
      ),
    );
  });
});

describe('UMUX-Lite score', () => {
  it('scores the worked examples', () => {
    expect(umuxLiteScore({ umux1: 7, umux2: 7 })).toBe(100);
    expect(umuxLiteScore({ umux1: 1, umux2: 1 })).toBe(0);
    expect(umuxLiteScore({ umux1: 4, umux2: 4 })).toBe(50);
    expect(umuxLiteScore({ umux1: 2, umux2: 1 })).toBeCloseTo(100 / 12, 10);
  });

  it('gives the SUS-equivalent 0.65 × score + 22.9', () => {
    expect(susEquivalent(umuxLiteScore({ umux1: 4, umux2: 4 }))).toBeCloseTo(55.4, 10);
    expect(susEquivalent(100)).toBeCloseTo(87.9, 10);
    expect(susEquivalent(0)).toBeCloseTo(22.9, 10);
  });

  it('is always 0–100', () => {
    fc.assert(
      fc.property(umuxResponse, umuxResponse, (umux1, umux2) => {
        const score = umuxLiteScore({ umux1, umux2 });
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
      }),
    );
  });
});

describe('SUS grade', () => {
  it.each([
    [100, 'A+'],
    [84.1, 'A+'],
    [84.0, 'A'],
    [80.8, 'A'],
    [80.7, 'A-'],
    [78.9, 'A-'],
    [78.8, 'B+'],
    [77.2, 'B+'],
    [77.1, 'B'],
    [74.1, 'B'],
    [74.0, 'B-'],
    [72.6, 'B-'],
    [72.5, 'C+'],
    [71.1, 'C+'],
    [71.0, 'C'],
    [68, 'C'],
    [65.0, 'C'],
    [64.9, 'C-'],
    [62.7, 'C-'],
    [62.6, 'D'],
    [51.7, 'D'],
    [51.6, 'F'],
    [0, 'F'],
  ])('grades %d as %s', (score, grade) => {
    expect(susGrade(score)).toBe(grade);
  });

  it('grades a mean between two listed ranges by the threshold it has reached', () => {
    expect(susGrade(84.05)).toBe('A');
    expect(susGrade(84.0999)).toBe('A');
    expect(susGrade(51.65)).toBe('F');
  });

  it('never gets better as the score falls', () => {
    const order = ['F', 'D', 'C-', 'C', 'C+', 'B-', 'B', 'B+', 'A-', 'A', 'A+'];
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          expect(order.indexOf(susGrade(lo))).toBeLessThanOrEqual(order.indexOf(susGrade(hi)));
        },
      ),
    );
  });

  it('refuses a score outside 0–100', () => {
    expect(() => susGrade(100.1)).toThrow(RangeError);
    expect(() => susGrade(-1)).toThrow(RangeError);
    expect(() => susGrade(Number.NaN)).toThrow(RangeError);
  });
});

describe('answer validation', () => {
  it('accepts a whole answer', () => {
    expect(validateAnswers('sus', sus(1, 2, 3, 4, 5, 5, 4, 3, 2, 1))).toEqual([]);
    expect(validateAnswers('umux-lite', { umux1: 7, umux2: 1 })).toEqual([]);
  });

  it('names each missing, out-of-range and unknown item', () => {
    const { sus3: _, ...missing } = sus();
    const problems = validateAnswers('sus', { ...missing, sus1: 6, sus2: 2.5, sus4: '3', sus11: 3 });
    expect(problems.map(({ item, problem }) => [item, problem])).toEqual([
      ['sus1', 'out_of_range'],
      ['sus2', 'out_of_range'],
      ['sus3', 'missing'],
      ['sus4', 'out_of_range'],
      ['sus11', 'unknown'],
    ]);
    expect(problems[0]?.message).toContain('sus1');
  });

  it('checks each instrument against its own scale', () => {
    expect(validateAnswers('umux-lite', { umux1: 0, umux2: 7 }).map((p) => [p.item, p.problem])).toEqual([
      ['umux1', 'out_of_range'],
    ]);
    expect(validateAnswers('umux-lite', { umux1: 6, umux2: 6, sus1: 3 }).map((p) => p.item)).toEqual([
      'sus1',
    ]);
    expect(validateAnswers('sus', { sus1: 6 }).map((p) => p.problem)).toEqual([
      'out_of_range',
      ...Array(9).fill('missing'),
    ]);
  });
});
