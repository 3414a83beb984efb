import { describe, expect, it } from 'vitest';
import type { Stretch } from '../../principles/timeline.js';
import type { Estate } from '../../server/config/schema.js';
import { compliance } from '../../server/principles/compliance.js';
import { emptyTally, figureOf } from '../../server/principles/figures.js';
import { parsePeriod } from '../../server/principles/period.js';
import type { AdHocWindowRow } from '../../server/store/maintenance.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';

const MIN = 60_000;
const DAY = 86_400_000;

/** A timeline source that gives every check of the estate the same stretches. */
const everyCheck = (estate: Estate, timeline: Map<string, Stretch[]>) => ({
  timeline: async () => timeline,
  timelines: async (
    _from: number,
    _to: number,
    visit: (checkId: string, byVp: Map<string, Stretch[]>) => void,
  ) => {
    for (const check of estate.checks) visit(check.id, timeline);
  },
  // No hourly rollups: these cases are availability's.
  hourlyPhases: async () => [],
});

/**
 * The estate's first principle over October 2026 (judged on 1 December), every check given the same
 * St Anne's stretches, and the ad hoc windows given.
 */
async function october(estate: Estate, stretches: Stretch[], windows: AdHocWindowRow[] = []) {
  const principle = estate.principles[0];
  if (!principle) throw new Error('no principle');
  const sources = {
    results: everyCheck(estate, new Map([['st-annes', stretches]])),
    maintenance: { overlapping: async () => windows },
  };
  return compliance(estate, sources, principle, parsePeriod('2026-10', Date.UTC(2026, 11, 1)));
}

const tally = (up: number, down: number, recentDown: number) => {
  const t = emptyTally();
  t.ms.up = up * MIN;
  t.ms.down = down * MIN;
  t.burnMs['1d'] = recentDown * MIN;
  return t;
};

describe('figureOf: status from the budget and the last day’s burn', () => {
  // up 9,995 and down 5 at 99.9%: allowed 0.1% × 10,000 = 10, left 5.
  it('is at risk when the last day’s 5 down minutes, over the 2 days still to run, would spend more than the 5 left', () => {
    const figure = figureOf(tally(9_995, 5, 5), 99.9, { remainingMs: 2 * DAY, recentMs: DAY });
    expect(figure.budget.allowed).toBeCloseTo(10, 9);
    expect(figure.budget.left).toBeCloseTo(5, 9);
    expect(figure.burn).toEqual({ '1h': 0, '6h': 0, '1d': 5, '3d': 0 });
    expect(figure.status).toBe('at-risk');
  });

  it('is met when the same burn over half a day still to run spends 2.5 of the 5 left, or nothing is to run', () => {
    expect(figureOf(tally(9_995, 5, 5), 99.9, { remainingMs: DAY / 2, recentMs: DAY }).status).toBe('met');
    expect(figureOf(tally(9_995, 5, 5), 99.9, { remainingMs: 0, recentMs: DAY }).status).toBe('met');
    expect(figureOf(tally(9_995, 5, 0), 99.9, { remainingMs: 30 * DAY, recentMs: DAY }).status).toBe('met');
  });

  it('is breached below the target, and no-data with nothing up or down', () => {
    expect(figureOf(tally(9_985, 15, 0), 99.9, { remainingMs: 0, recentMs: DAY }).status).toBe('breached');
    const none = figureOf(tally(0, 0, 0), 99.9, { remainingMs: 0, recentMs: DAY });
    expect([none.status, none.value]).toEqual(['no-data', null]);
  });
});

describe('compliance with core hours from settings', () => {
  it('counts only the settings’ hours (Saturdays 10:00–11:00 London), across the clocks going back', async () => {
    const estate = estateFrom(
      `${smallEstateYaml.replace('from: [st-annes, marsh-lane]', 'from: [st-annes]')}principles:
  - { id: sat, title: Saturday mornings, metric: availability, target: 90%, scope: { sites: [st-annes] } }
settings:
  coreHours: { days: [sat], start: "10:00", end: "11:00" }
`,
    );
    const from = Date.UTC(2026, 8, 30, 23);
    const to = Date.UTC(2026, 10, 1);
    // Up all month but for 09:30Z–10:30Z on Saturday 3 October (10:30–11:30 BST).
    const stretches: Stretch[] = [
      { from, to: Date.UTC(2026, 9, 3, 9, 30), state: 'up' },
      { from: Date.UTC(2026, 9, 3, 9, 30), to: Date.UTC(2026, 9, 3, 10, 30), state: 'down' },
      { from: Date.UTC(2026, 9, 3, 10, 30), to, state: 'up' },
    ];
    const answer = await october(estate, stretches);
    // Saturdays 3, 10, 17, 24 (09:00Z–10:00Z in BST) and 31 (10:00Z–11:00Z in GMT): 300 minutes;
    // down 09:30Z–10:00Z on the 3rd: 30 of them.
    expect(answer.items).toHaveLength(1);
    expect(answer.items[0]?.minutes).toEqual({ up: 270, down: 30, maintenance: 0, unknown: 0 });
    expect(answer.items[0]?.attribution).toEqual([{ organisation: 'riverside', role: 'owner', minutes: 30 }]);
    expect(answer.items[0]?.value).toBe(90);
    expect(answer.status).toBe('met');
  });
});

describe('compliance burn', () => {
  it('counts down minutes over the last 1 h, 6 h, 1 d and 3 d of the period', async () => {
    const estate = estateFrom(
      `${smallEstateYaml.replace('from: [st-annes, marsh-lane]', 'from: [st-annes]')}principles:
  - { id: always, title: Always, metric: availability, target: 99%, hours: 24x7 }
`,
    );
    const from = Date.UTC(2026, 8, 30, 23);
    const to = Date.UTC(2026, 10, 1);
    const down = (a: number, b: number): Stretch => ({ from: a, to: b, state: 'down' });
    const up = (a: number, b: number): Stretch => ({ from: a, to: b, state: 'up' });
    // Down 12:00Z–12:10Z on 29 October (only in the last 3 days) and 22:30Z–23:30Z on 31 October
    // (30 minutes of it in the last hour, all 60 in the last 6 hours and day).
    const stretches = [
      up(from, Date.UTC(2026, 9, 29, 12)),
      down(Date.UTC(2026, 9, 29, 12), Date.UTC(2026, 9, 29, 12, 10)),
      up(Date.UTC(2026, 9, 29, 12, 10), Date.UTC(2026, 9, 31, 22, 30)),
      down(Date.UTC(2026, 9, 31, 22, 30), Date.UTC(2026, 9, 31, 23, 30)),
      up(Date.UTC(2026, 9, 31, 23, 30), to),
    ];
    const answer = await october(estate, stretches);
    expect(answer.items[0]?.burn).toEqual({ '1h': 30, '6h': 60, '1d': 60, '3d': 70 });
    expect(answer.items[0]?.minutes.down).toBe(70);
    expect(answer.bySite[0]?.burn).toEqual({ '1h': 30, '6h': 60, '1d': 60, '3d': 70 });
  });
});

describe('compliance with an ad hoc maintenance window', () => {
  it('counts the time an ad hoc window covers as maintenance, as a window in the file is', async () => {
    const estate = estateFrom(
      `${smallEstateYaml.replace('from: [st-annes, marsh-lane]', 'from: [st-annes]')}principles:
  - { id: always, title: Always, metric: availability, target: 99%, hours: 24x7 }
`,
    );
    const from = Date.UTC(2026, 8, 30, 23);
    const to = Date.UTC(2026, 10, 1);
    // Down 10:00Z–11:00Z on 14 October; an ad hoc window (added through the API) covers 10:15Z–10:45Z.
    const stretches: Stretch[] = [
      { from, to: Date.UTC(2026, 9, 14, 10), state: 'up' },
      { from: Date.UTC(2026, 9, 14, 10), to: Date.UTC(2026, 9, 14, 11), state: 'down' },
      { from: Date.UTC(2026, 9, 14, 11), to, state: 'up' },
    ];
    const window = {
      id: 'mw-1',
      title: 'Switch replacement',
      start: Date.UTC(2026, 9, 14, 10, 15),
      end: Date.UTC(2026, 9, 14, 10, 45),
      scope: { sites: ['st-annes'] },
      createdBy: 'it@riverside.example.org',
      createdAt: Date.UTC(2026, 9, 14, 9),
      endedAt: null,
      endedBy: null,
    };
    const answer = await october(estate, stretches, [window]);
    // October in London: 31 days and the hour the clocks go back, 44,700 minutes.
    expect(answer.items[0]?.minutes).toEqual({ up: 44_640, down: 30, maintenance: 30, unknown: 0 });
  });
});
