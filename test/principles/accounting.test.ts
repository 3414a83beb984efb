import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountCheck, accountCheckWithin, type VantageTimeline } from '../../principles/accounting.js';
import { stretchesOf, type TimedRun } from '../../principles/timeline.js';

const MINUTE = 60_000;
const m = (minutes: number) => minutes * MINUTE;

/** A run every minute from 0 to 99, down in the given minute ranges, none in the silent ones. */
function runs(down: [number, number][], silent: [number, number][] = []): TimedRun[] {
  const within = (ranges: [number, number][], minute: number) =>
    ranges.some(([a, b]) => minute >= a && minute < b);
  const out: TimedRun[] = [];
  for (let minute = 0; minute < 100; minute++) {
    if (within(silent, minute)) continue;
    out.push({ at: m(minute), state: within(down, minute) ? 'down' : 'up' });
  }
  return out;
}

describe('stretches', () => {
  it('hold each run until the next, at most one interval, joining runs of one state', () => {
    const stretches = stretchesOf(
      [
        { at: m(0), state: 'up' },
        { at: m(1), state: 'up' },
        { at: m(2), state: 'down' },
        // Silent for three minutes after this run: two of them unknown.
        { at: m(3), state: 'down' },
        { at: m(6), state: 'up' },
      ],
      MINUTE,
    );
    expect(stretches).toEqual([
      { from: m(0), to: m(2), state: 'up' },
      { from: m(2), to: m(4), state: 'down' },
      { from: m(6), to: m(7), state: 'up' },
    ]);
  });

  it('come out the same whatever order the runs arrive in', () => {
    const inOrder = runs([[10, 20]]);
    const shuffled = [...inOrder].reverse();
    expect(stretchesOf(shuffled, MINUTE)).toEqual(stretchesOf(inOrder, MINUTE));
  });
});

describe('accounting a check at three sites', () => {
  const vantage = (
    vantagePoint: string,
    host: string,
    timed: TimedRun[],
    maintenance = [] as [number, number][],
  ) =>
    ({
      vantagePoint,
      host,
      stretches: stretchesOf(timed, MINUTE),
      maintenance: maintenance.map(([a, b]) => ({ from: m(a), to: m(b) })),
    }) satisfies VantageTimeline;
  const a = vantage(
    'a',
    'host-a',
    runs([
      [10, 20],
      [30, 40],
      [50, 60],
      [70, 80],
    ]),
  );
  const b = vantage('b', 'host-b', runs([[30, 40]]), [[70, 80]]);
  const c = vantage('c', 'host-c', runs([], [[50, 60]]));
  const hours = [{ from: m(5), to: m(95) }];
  const accounts = accountCheck('owner', [a, b, c], hours);
  const of = (id: string) => accounts.find((account) => account.vantagePoint === id);

  it('counts up, down, maintenance and unknown minutes within the hours', () => {
    expect(of('a')?.ms).toEqual({ up: m(50), down: m(40), maintenance: 0, unknown: 0 });
    expect(of('b')?.ms).toEqual({ up: m(70), down: m(10), maintenance: m(10), unknown: 0 });
    expect(of('c')?.ms).toEqual({ up: m(80), down: 0, maintenance: 0, unknown: m(10) });
  });

  it("gives the owner what half or more of the known sites saw, and a site's host what it saw alone", () => {
    // 10–20 alone (host); 30–40 with b (owner); 50–60 with c silent (one of two known: owner);
    // 70–80 with b in maintenance (one of two known: owner).
    expect(of('a')?.attribution).toEqual([
      { organisation: 'owner', role: 'owner', ms: m(30) },
      { organisation: 'host-a', role: 'host', ms: m(10) },
    ]);
    expect(of('b')?.attribution).toEqual([{ organisation: 'owner', role: 'owner', ms: m(10) }]);
    expect(of('c')?.attribution).toEqual([]);
  });
});

/** Up to `most` sites, each with a state a minute for an hour and up to two maintenance windows. */
const sitesOf = (most: number) =>
  fc.array(
    fc.record({
      states: fc.array(fc.constantFrom('up', 'down', 'silent'), { minLength: 60, maxLength: 60 }),
      maintenance: fc.array(fc.tuple(fc.nat(59), fc.integer({ min: 1, max: 20 })), { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: most },
  );

/** The sites' vantage points: a run each minute not silent, and their maintenance. */
const vantagesOf = (sites: { states: string[]; maintenance: [number, number][] }[]): VantageTimeline[] =>
  sites.map((site, i) => ({
    vantagePoint: `v${i}`,
    host: `h${i}`,
    stretches: stretchesOf(
      site.states.flatMap((state, minute) =>
        state === 'silent' ? [] : [{ at: m(minute), state: state as 'up' | 'down' }],
      ),
      MINUTE,
    ),
    maintenance: site.maintenance.map(([from, len]) => ({ from: m(from), to: m(from + len) })),
  }));

describe('accounting against a minute-by-minute count', () => {
  it('agrees for any runs, silences and maintenance at up to four sites', () => {
    fc.assert(
      fc.property(
        sitesOf(4),
        fc.tuple(fc.nat(30), fc.integer({ min: 30, max: 60 })),
        (sites, [hoursFrom, hoursTo]) => {
          const vantages = vantagesOf(sites);
          const got = accountCheck('owner', vantages, [{ from: m(hoursFrom), to: m(hoursTo) }]);
          // The same, a minute at a time.
          const kindAt = (site: number, minute: number) => {
            const s = sites[site] as (typeof sites)[number];
            if (s.maintenance.some(([from, len]) => minute >= from && minute < from + len))
              return 'maintenance';
            const state = s.states[minute];
            return state === 'silent' ? 'unknown' : state;
          };
          sites.forEach((_, i) => {
            const expected = { up: 0, down: 0, maintenance: 0, unknown: 0, owner: 0, host: 0 };
            for (let minute = hoursFrom; minute < hoursTo; minute++) {
              const kind = kindAt(i, minute) as 'up' | 'down' | 'maintenance' | 'unknown';
              expected[kind] += MINUTE;
              if (kind !== 'down') continue;
              const kinds = sites.map((__, j) => kindAt(j, minute));
              const down = kinds.filter((k) => k === 'down').length;
              const known = kinds.filter((k) => k === 'down' || k === 'up').length;
              expected[down * 2 >= known ? 'owner' : 'host'] += MINUTE;
            }
            const account = got[i];
            expect(account?.ms).toEqual({
              up: expected.up,
              down: expected.down,
              maintenance: expected.maintenance,
              unknown: expected.unknown,
            });
            const share = (role: string) => account?.attribution.find((a) => a.role === role)?.ms ?? 0;
            expect([share('owner'), share('host')]).toEqual([expected.owner, expected.host]);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('accounting for several definitions of hours at once', () => {
  it('gives each definition what accounting within it alone gives', () => {
    const spansOf = (cuts: number[]) => {
      const sorted = [...new Set(cuts)].sort((a, b) => a - b);
      const spans = [];
      for (let i = 0; i + 1 < sorted.length; i += 2)
        spans.push({ from: m(sorted[i] as number), to: m(sorted[i + 1] as number) });
      return spans;
    };
    fc.assert(
      fc.property(
        sitesOf(5),
        // Each definition some spans within the hour, as core hours are within the days.
        fc.array(fc.array(fc.nat(60), { maxLength: 8 }), { minLength: 2, maxLength: 3 }),
        (sites, cutLists) => {
          const vantages = vantagesOf(sites);
          const hoursList = cutLists.map(spansOf);
          const together = accountCheckWithin('owner', vantages, hoursList);
          hoursList.forEach((hours, k) => {
            expect(together[k]).toEqual(accountCheck('owner', vantages, hours));
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
