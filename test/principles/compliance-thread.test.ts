import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principle } from '../../server/config/schema.js';
import { generator } from '../../server/demo/random.js';
import {
  type Compliance,
  type ComplianceSources,
  complianceOf,
  headlineOf,
} from '../../server/principles/compliance.js';
import { type ComplianceThread, complianceThread } from '../../server/principles/compliance-thread.js';
import {
  addTallied,
  checkGroups,
  judgeLatency,
  type LatencyTallied,
  latencyTallies,
} from '../../server/principles/latency.js';
import { keepLatency } from '../../server/principles/latency-keeper.js';
import { parsePeriod } from '../../server/principles/period.js';
import { buildReport } from '../../server/reports/build.js';
import { emptyPhases, encodePhases } from '../../server/rollups/codec.js';
import { record } from '../../server/rollups/histogram.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { oneSiteSurveyYaml, susResponses } from '../helpers/survey.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

const H = 3_600_000;
const DAY = 86_400_000;
/** A Friday afternoon, five weeks after the clocks went back (25 October 2026). */
const NOW = Date.UTC(2026, 11, 4, 15, 41);
const FIRST_HOUR = Date.UTC(2026, 8, 1) / H;

// Three systems, so three groups of checks for the two threads to share.
const estate = estateFrom(`${smallEstateYaml.replace(
  'systems:\n',
  `systems:
  - { id: pacs, name: Picture archive, owner: eastfield }
  - { id: mail, name: Email, owner: riverside }
`,
)}  - id: epr-api
    system: epr
    type: tcp
    target: epr.example.org:443
    every: 1m
  - { id: pacs-viewer, system: pacs, type: tcp, target: pacs.example.org:443, every: 1m, from: [st-annes, marsh-lane] }
  - { id: mail-web, system: mail, type: http, target: https://mail.example.org/, every: 1m, from: [marsh-lane] }
  - { id: pacs-store, system: pacs, type: tcp, target: store.example.org:443, every: 1m }
maintenance:
  - { id: upgrade, title: EPR upgrade, start: 2026-10-14T17:20, end: 2026-10-15T02:40, scope: { systems: [epr] } }
principles:
  - { id: available, title: Available in core hours, metric: availability, target: 99.9%, hours: core }
  - { id: fast-core, title: Fast in core hours, metric: latency, percentile: 95, target: 1s, hours: core }
  - { id: fast-always, title: Fast all hours, metric: latency, percentile: 90, target: 800ms, hours: 24x7 }
  - { id: certificates, title: Certificates, metric: certificate-expiry, target: 14 }
`);
const principles = estate.principles as Principle[];

/** A compliance answer's figures as the latency tallies are judged into. */
const groupsOf = ({ status, value, items, bySystem, bySite, byOrganisation }: Compliance) => ({
  status,
  value,
  items,
  bySystem,
  bySite,
  byOrganisation,
});

/** The same pseudo-random history every run: hours mostly fast, some slow, some silent; outages. */
function writeHistory(store: SqliteStores): void {
  const random = generator(7);
  const series = store.db
    .prepare<[], { check_key: number; vp: number }>(
      `SELECT c.key AS check_key, coalesce(s.key, 0) AS vp FROM checks c
       LEFT JOIN json_each(c.definition, '$.from') f LEFT JOIN sites s ON s.id = f.value`,
    )
    .all();
  const hour = store.db.prepare(
    `INSERT INTO rollups_hourly (check_key, vp, bucket, ok, degraded, fail, skipped, min_ms, max_ms, sum_ms, phases)
     VALUES (?, ?, ?, 6, 0, 0, 0, 100, 9000, 3000, ?)`,
  );
  const stretch = store.db.prepare(
    'INSERT INTO state_timeline (check_key, vp, from_ms, to_ms, state) VALUES (?, ?, ?, ?, ?)',
  );
  store.db.transaction(() => {
    for (const { check_key, vp } of series) {
      for (let h = FIRST_HOUR; h <= Math.floor(NOW / H); h++) {
        if (random() < 0.05) continue;
        const phases = emptyPhases();
        const slowShare = random() < 0.1 ? 0.5 : 0.02;
        for (let run = 0; run < 6 + Math.floor(random() * 20); run++)
          record(phases.totalMs, random() < slowShare ? 1_500 + random() * 4_000 : 80 + random() * 700);
        hour.run(check_key, vp, h, encodePhases(phases));
      }
      let at = FIRST_HOUR * H;
      while (at < NOW) {
        const up = Math.floor(random() * 9 * DAY);
        const down = Math.min(NOW, at + up + 60_000 + Math.floor(random() * 3 * H));
        stretch.run(check_key, vp, at, at + up, 0);
        stretch.run(check_key, vp, at + up, down, 1);
        at = down;
      }
    }
  })();
}

describe('latency principles judged in another thread', () => {
  let store: SqliteStores;
  let file: string;
  let thread: ComplianceThread | undefined;
  let failures: string[];
  beforeEach(async () => {
    file = join(tmp(), 'thread.db');
    store = SqliteStores.open(file);
    await store.estate.syncEstate(estate, FIRST_HOUR * H);
    writeHistory(store);
    await keepLatency(estate, store.results, NOW);
    failures = [];
  });
  afterEach(async () => {
    await thread?.close();
    await store.close();
  });

  const here = (): ComplianceSources => ({ results: store.results, maintenance: store.maintenance });

  it('gives the very answers of this thread, for calendar and rolling periods', async () => {
    thread = complianceThread(file, (message) => failures.push(message));
    if (!thread) throw new Error('a database file has a thread');
    for (const text of ['2026-11', '2026-Q4', '30d', '90d', '36h']) {
      const period = parsePeriod(text, NOW);
      const alone = await complianceOf(estate, here(), principles, period);
      // The thread itself, claiming every group: its figures are its own, not this thread's.
      const latency = principles.filter((p) => p.metric === 'latency');
      const claims = new Int32Array(new SharedArrayBuffer(4));
      const fromThread = judgeLatency(
        estate,
        await thread.latencyTallies(estate, latency, period, claims),
        period,
      );
      expect(Atomics.load(claims, 0)).toBeGreaterThan(checkGroups(estate).length);
      expect(JSON.stringify(latency.map((p) => fromThread.get(p.id)))).toBe(
        JSON.stringify(alone.filter((a) => a.principle.metric === 'latency').map(groupsOf)),
      );
      const together = await complianceOf(estate, { ...here(), thread }, principles, period);
      expect(JSON.stringify(together)).toBe(JSON.stringify(alone));
      // Some items over their target, some within: the figures compared are not all alike.
      const statuses = new Set(alone.flatMap((a) => a.items.map((item) => item.status)));
      expect(statuses.size).toBeGreaterThan(1);
    }
    expect(failures).toEqual([]);
  });

  it("sends each group's items as soon as they are tallied, which add up to the whole answer", async () => {
    thread = complianceThread(file, (message) => failures.push(message));
    if (!thread) throw new Error('a database file has a thread');
    const latency = principles.filter((p) => p.metric === 'latency');
    const period = parsePeriod('30d', NOW);
    const alone = await complianceOf(estate, here(), latency, period);
    const parts: LatencyTallied[][] = [];
    const claims = new Int32Array(new SharedArrayBuffer(4));
    const rest = await thread.latencyTallies(estate, latency, period, claims, (part) => parts.push(part));
    // The thread claimed every group (nobody else did), and sent each on its own.
    expect(parts).toHaveLength(checkGroups(estate).length);
    const counts = parts.map((part) => part.reduce((sum, p) => sum + p.tallies.size, 0));
    for (const count of counts) expect(count).toBeGreaterThan(0);
    for (const part of parts) addTallied(rest, part);
    const together = judgeLatency(estate, rest, period);
    expect(JSON.stringify(latency.map((p) => together.get(p.id)))).toBe(JSON.stringify(alone.map(groupsOf)));
    expect(failures).toEqual([]);
  });

  it('fails the question, saying why, when a part sent ahead cannot be taken in', async () => {
    thread = complianceThread(file, (message) => failures.push(message));
    if (!thread) throw new Error('a database file has a thread');
    const latency = principles.filter((p) => p.metric === 'latency');
    const claims = new Int32Array(new SharedArrayBuffer(4));
    const asked = thread.latencyTallies(estate, latency, parsePeriod('30d', NOW), claims, () => {
      throw new Error('no room for this part');
    });
    await expect(asked).rejects.toThrow('no room for this part');
    expect(failures).toEqual(['no room for this part']);
    expect(thread.busy).toBe(false);
    // The thread answers the next question as ever.
    const next = await thread.latencyTallies(
      estate,
      latency,
      parsePeriod('30d', NOW),
      new Int32Array(new SharedArrayBuffer(4)),
    );
    expect(next.reduce((sum, t) => sum + t.tallies.size, 0)).toBeGreaterThan(0);
  });

  it('adds up groups tallied apart, in any order, to the figures of one pass', async () => {
    const latency = principles.filter((p) => p.metric === 'latency');
    expect(checkGroups(estate)).toHaveLength(3);
    for (const text of ['2026-11', '30d']) {
      const period = parsePeriod(text, NOW);
      const alone = await complianceOf(estate, here(), latency, period);
      const claiming = (order: number[]) => () => order.shift() ?? 99;
      const first = await latencyTallies(estate, here(), latency, period, claiming([2, 0]));
      const second = await latencyTallies(estate, here(), latency, period, claiming([1]));
      addTallied(second, first);
      const together = judgeLatency(estate, second, period);
      expect(JSON.stringify(latency.map((p) => together.get(p.id)))).toBe(
        JSON.stringify(alone.map(groupsOf)),
      );
      // An item tallied on both sides is a mistake, never a sum.
      const again = await latencyTallies(estate, here(), latency, period, claiming([0]));
      expect(() => addTallied(second, again)).toThrow(/tallied twice/);
    }
  });

  it('makes a report byte for byte as this thread alone makes it', async () => {
    thread = complianceThread(file);
    if (!thread) throw new Error('a database file has a thread');
    const request = { kind: 'month' as const, period: '2026-11', now: NOW, createdBy: 'test' };
    const alone = await buildReport(estate, here(), request);
    const withThread = await buildReport(estate, { ...here(), thread }, request);
    expect(withThread.text).toBe(alone.text);
    expect(alone.report.content.principles.map((p) => p.id)).toEqual(principles.map((p) => p.id));
  });

  it('judges a period whole there, survey principles included, as this thread does', async () => {
    const surveyed = estateFrom(`${oneSiteSurveyYaml}principles:
  - { id: usable, title: Usable systems, metric: survey-score, target: 68 }
  - { id: available, title: Available in core hours, metric: availability, target: 99.9%, hours: core }
  - { id: fast, title: Fast all hours, metric: latency, percentile: 90, target: 800ms, hours: 24x7 }
`);
    const other = join(tmp(), 'surveyed.db');
    const surveyStore = SqliteStores.open(other);
    try {
      await surveyStore.estate.syncEstate(surveyed, FIRST_HOUR * H);
      writeHistory(surveyStore);
      await keepLatency(surveyed, surveyStore.results, NOW);
      await surveyStore.survey.addResponses(susResponses(surveyed, 12, 50));
      thread = complianceThread(other, (message) => failures.push(message));
      if (!thread) throw new Error('a database file has a thread');
      const sources = {
        results: surveyStore.results,
        maintenance: surveyStore.maintenance,
        survey: surveyStore.survey,
      };
      for (const text of ['2026-11', '30d']) {
        const period = parsePeriod(text, NOW);
        const alone = await complianceOf(surveyed, sources, surveyed.principles, period);
        const there = await thread.headlinesOf(surveyed, surveyed.principles, period);
        expect(JSON.stringify(there)).toBe(JSON.stringify(alone.map(headlineOf)));
        // 12 answers at 50 and 60 alternately: a mean of 55, a number, not withheld.
        expect(alone.map((a) => a.value)[0]).toBe(55);
        expect(alone.map((a) => a.status)).not.toContain('not-evaluated');
      }
      expect(failures).toEqual([]);
    } finally {
      await surveyStore.close();
    }
  });

  it('makes a report here, byte for byte, when the thread cannot answer, and says why', async () => {
    thread = complianceThread(join(tmp(), 'gone.db'), (message) => failures.push(message));
    if (!thread) throw new Error('a database file has a thread');
    const request = { kind: 'month' as const, period: '2026-11', now: NOW, createdBy: 'test' };
    const alone = await buildReport(estate, here(), request);
    const fallen = await buildReport(estate, { ...here(), thread }, request);
    expect(fallen.text).toBe(alone.text);
    // Both questions failed: this period's latency groups and the year before.
    expect(failures.length).toBeGreaterThanOrEqual(1);
    for (const failure of failures) expect(failure).toMatch(/gone\.db|unable to open|does not exist/i);
  });

  it('works the figures out here when the thread cannot answer, and says why', async () => {
    // A thread on a file that is not there: every question it is asked fails.
    thread = complianceThread(join(tmp(), 'gone.db'), (message) => failures.push(message));
    if (!thread) throw new Error('a database file has a thread');
    const period = parsePeriod('2026-11', NOW);
    const alone = await complianceOf(estate, here(), principles, period);
    const fallen = await complianceOf(estate, { ...here(), thread }, principles, period);
    expect(JSON.stringify(fallen)).toBe(JSON.stringify(alone));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/gone\.db|unable to open|does not exist/i);
  });

  it('answers a question asked as the thread stops, here, logging no failure', async () => {
    thread = complianceThread(file, (message) => failures.push(message));
    if (!thread) throw new Error('a database file has a thread');
    const period = parsePeriod('90d', NOW);
    const alone = await complianceOf(estate, here(), principles, period);
    const asked = complianceOf(estate, { ...here(), thread }, principles, period);
    expect(thread.busy).toBe(true);
    await thread.close();
    expect(JSON.stringify(await asked)).toBe(JSON.stringify(alone));
    expect(thread.busy).toBe(false);
    expect(failures).toEqual([]);
  });

  it('has no thread for a database in memory, which no other connection sees', () => {
    expect(complianceThread(':memory:')).toBeUndefined();
  });
});
