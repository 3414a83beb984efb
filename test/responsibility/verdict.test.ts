import { describe, expect, it } from 'vitest';
import {
  judge,
  MIN_RUNS,
  type VantagePointFigures,
  type VerdictInput,
} from '../../server/responsibility/verdict.js';

const hosts: Record<string, string> = {
  'st-annes': 'riverside',
  'marsh-lane': 'eastfield',
  'poplar-walk': 'eastfield',
  'bow-yard': 'bow-practice',
};

/** A steady place: 240 runs, all up, p50 200 ms and p95 350 ms (a long tail of 1.75 times). */
function place(vantagePoint: string, change: Partial<VantagePointFigures> = {}): VantagePointFigures {
  return { vantagePoint, runs: 240, availability: 1, p50: 200, p95: 350, silent: false, ...change };
}

function verdictOf(vantagePoints: VantagePointFigures[], change: Partial<VerdictInput> = {}) {
  return judge({
    vantagePoints,
    typicalMs: 200,
    hostOf: (vp) => hosts[vp] ?? null,
    owner: 'riverside',
    ...change,
  });
}

const four = ['st-annes', 'marsh-lane', 'poplar-walk', 'bow-yard'];

describe('who is responsible when a check looks worse', () => {
  it('finds nothing when every place is alike', () => {
    const verdict = verdictOf(four.map((vp) => place(vp)));
    expect(verdict).toMatchObject({ outcome: 'similar', responsible: [], compared: 4, worse: 0 });
  });

  it('names the host of the one site that is slower than the others', () => {
    // Marsh Lane's p95 600 ms against the others' median 350 ms: 1.71 times, over 1.5.
    const verdict = verdictOf(four.map((vp) => place(vp, vp === 'marsh-lane' ? { p95: 600 } : {})));
    expect(verdict.outcome).toBe('local');
    expect(verdict.responsible).toEqual([
      { organisation: 'eastfield', role: 'host', vantagePoints: ['marsh-lane'] },
    ]);
    expect(verdict.vantagePoints.find((vp) => vp.vantagePoint === 'marsh-lane')?.problems).toEqual([
      'slower-than-others',
    ]);
  });

  it('keeps a site a little slower than the others (under 1.5 times) as similar', () => {
    // 520 / 350 = 1.49.
    const verdict = verdictOf(four.map((vp) => place(vp, vp === 'marsh-lane' ? { p95: 520 } : {})));
    expect(verdict.outcome).toBe('similar');
  });

  it('names the owner when a slowdown everywhere puts every place over three times the typical time', () => {
    // Fourfold for a fifth of the time: every place alike, so no place stands out from the others,
    // but each p95 (900 ms) is 4.5 times the check's median (200 ms).
    const verdict = verdictOf(four.map((vp) => place(vp, { p95: 900 })));
    expect(verdict.outcome).toBe('system');
    expect(verdict.responsible).toEqual([{ organisation: 'riverside', role: 'owner', vantagePoints: four }]);
    expect(verdict.vantagePoints.every((vp) => vp.problems.join() === 'slow-tail')).toBe(true);
  });

  it("judges slowness by the check's own degradedMs too", () => {
    const verdict = verdictOf(
      four.map((vp) => place(vp)),
      { degradedMs: 300 },
    );
    expect(verdict.outcome).toBe('system');
    expect(verdict.vantagePoints[0]?.problems).toEqual(['over-degraded']);
    expect(verdict.degradedMs).toBe(300);
  });

  it('gives failing from half the places or more to the owner', () => {
    const failing = new Set(['st-annes', 'marsh-lane']);
    const verdict = verdictOf(four.map((vp) => place(vp, failing.has(vp) ? { availability: 0.97 } : {})));
    expect(verdict.outcome).toBe('system');
    expect(verdict.responsible).toEqual([
      { organisation: 'riverside', role: 'owner', vantagePoints: ['st-annes', 'marsh-lane'] },
    ]);
  });

  it('gives failing from fewer than half the places to the host of each site that sees it', () => {
    const verdict = verdictOf(
      ['st-annes', 'marsh-lane', 'poplar-walk', 'bow-yard', 'server'].map((vp) =>
        place(vp, vp === 'marsh-lane' || vp === 'bow-yard' ? { availability: 0.985 } : {}),
      ),
    );
    expect(verdict.outcome).toBe('local');
    expect(verdict.responsible).toEqual([
      { organisation: 'eastfield', role: 'host', vantagePoints: ['marsh-lane'] },
      { organisation: 'bow-practice', role: 'host', vantagePoints: ['bow-yard'] },
    ]);
  });

  it('counts 99% available as up, and just under it as failing', () => {
    expect(
      verdictOf(four.map((vp) => place(vp, vp === 'bow-yard' ? { availability: 0.99 } : {}))).outcome,
    ).toBe('similar');
    expect(
      verdictOf(four.map((vp) => place(vp, vp === 'bow-yard' ? { availability: 0.9899 } : {}))).responsible,
    ).toEqual([{ organisation: 'bow-practice', role: 'host', vantagePoints: ['bow-yard'] }]);
  });

  it(`says not enough runs yet below ${MIN_RUNS} runs at every place, whatever the figures`, () => {
    // The figures of a dashboard opened minutes after start: 12 runs, one of them failed.
    const early = four.map((vp) =>
      place(vp, { runs: 12, ...(vp === 'marsh-lane' ? { availability: 11 / 12, p95: 900 } : {}) }),
    );
    const verdict = verdictOf(early);
    expect(verdict).toMatchObject({ outcome: 'not-enough-runs', responsible: [], compared: 0 });
    expect(
      verdict.vantagePoints.every((vp) => vp.judged === 'too-few-runs' && vp.problems.length === 0),
    ).toBe(true);
    expect(verdictOf(four.map((vp) => place(vp, { runs: MIN_RUNS - 1 }))).outcome).toBe('not-enough-runs');
    expect(verdictOf(four.map((vp) => place(vp, { runs: MIN_RUNS }))).outcome).toBe('similar');
  });

  it('leaves out a place with too few runs and judges the rest', () => {
    const verdict = verdictOf([
      ...['st-annes', 'marsh-lane', 'poplar-walk'].map((vp) => place(vp)),
      place('bow-yard', { runs: 30, availability: 0.5 }),
    ]);
    expect(verdict).toMatchObject({ outcome: 'similar', compared: 3 });
    expect(verdict.vantagePoints.find((vp) => vp.vantagePoint === 'bow-yard')?.judged).toBe('too-few-runs');
  });

  it('leaves out silent places: silence is not a failure', () => {
    const verdict = verdictOf(
      four.map((vp) =>
        place(vp, vp === 'bow-yard' || vp === 'poplar-walk' ? { silent: true, availability: 0 } : {}),
      ),
    );
    expect(verdict).toMatchObject({ outcome: 'similar', compared: 2, worse: 0 });
    expect(verdict.vantagePoints.filter((vp) => vp.judged === 'silent').map((vp) => vp.vantagePoint)).toEqual(
      ['poplar-walk', 'bow-yard'],
    );
  });

  it('says there are no results when nothing ran', () => {
    expect(verdictOf([]).outcome).toBe('no-results');
    expect(
      verdictOf([place('st-annes', { runs: 0, silent: true, availability: null, p95: null })]).outcome,
    ).toBe('no-results');
  });

  it('gives the one place of a check run from one place to the owner when it is worse', () => {
    // Seen from all (one of one) of its vantage points.
    const verdict = verdictOf([place('server', { availability: 0.9 })]);
    expect(verdict.responsible).toEqual([
      { organisation: 'riverside', role: 'owner', vantagePoints: ['server'] },
    ]);
  });

  it('reports the thresholds it judged by', () => {
    expect(verdictOf([]).thresholds).toEqual({
      minRuns: 100,
      availabilityBelow: 0.99,
      slowerThanOthers: 1.5,
      slowTail: 3,
    });
  });
});
