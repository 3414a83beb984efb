import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadEstateFile } from '../../server/config/load.js';
import type { Estate, Survey } from '../../server/config/schema.js';
import { demoResponses, seedDemoSurveys } from '../../server/demo/survey.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import type { StoredResponse } from '../../surveys/counts.js';
import { susEquivalent } from '../../surveys/scoring.js';
import { demoFile } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

function demoEstate(): Estate {
  const result = loadEstateFile(demoFile, { VANTAGE_DEMO_TARGETS: '127.0.0.1:1' });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.estate;
}

const estate = demoEstate();
const campaign = (id: string): Survey => {
  const survey = estate.surveys.find((s) => s.id === id);
  if (!survey) throw new Error(`no campaign ${id} in the demo estate`);
  return survey;
};
const closed = campaign('usability-2025');
const open = campaign('usability-2026');
/** 24 November 2026, 10:30: the 2026 campaign is in its eighth week. */
const now = Date.UTC(2026, 10, 24, 10, 30);
const today = '2026-11-24';

const responses2025 = demoResponses(estate, closed, { now });
const responses2026 = demoResponses(estate, open, { now });

const countBy = (responses: StoredResponse[], key: (r: StoredResponse) => string) => {
  const counts = new Map<string, number>();
  for (const r of responses) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  return counts;
};
/** Mean score (SUS-equivalent for UMUX-Lite) of one system. */
const meanScore = (responses: StoredResponse[], system: string) => {
  const scores = responses.flatMap((r) =>
    r.scores
      .filter((s) => s.system === system)
      .map((s) => (s.instrument === 'sus' ? s.score : susEquivalent(s.score))),
  );
  return scores.reduce((a, b) => a + b, 0) / scores.length;
};
const meanItem = (responses: StoredResponse[], item: string, keep: (r: StoredResponse) => boolean) => {
  const values = responses
    .filter(keep)
    .flatMap((r) => Object.entries(r.answers).filter(([key]) => key !== 'infra'))
    .map(([, answers]) => answers[item])
    .filter((v): v is number => typeof v === 'number');
  return values.reduce((a, b) => a + b, 0) / values.length;
};

describe('demo survey responses', () => {
  it('are the same for the same seed, and differ for another', () => {
    expect(demoResponses(estate, closed, { now })).toEqual(responses2025);
    expect(demoResponses(estate, open, { now, seed: 1 })).toEqual(responses2026);
    expect(demoResponses(estate, closed, { now, seed: 2 })).not.toEqual(responses2025);
  });

  it('are checked, stored-form responses marked as demo data', () => {
    for (const r of [...responses2025, ...responses2026]) {
      expect(r.demo).toBe(true);
      expect(r.scores.length).toBeGreaterThan(0);
      // Each rated system's instrument is answered whole and scored.
      for (const s of r.scores) expect(Object.keys(r.answers)).toContain(s.system);
    }
    expect(responses2025.every((r) => r.campaign === 'usability-2025')).toBe(true);
    expect(responses2026.every((r) => r.campaign === 'usability-2026')).toBe(true);
  });

  it('fill a closed campaign and an open one up to today, to the day, within the campaign', () => {
    expect(responses2025.length).toBeGreaterThanOrEqual(1400);
    expect(responses2025.length).toBeLessThanOrEqual(1600);
    expect(responses2026.length).toBeGreaterThanOrEqual(800);
    expect(responses2026.length).toBeLessThanOrEqual(1100);
    for (const r of responses2025) {
      expect(r.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.day >= closed.opens && r.day <= closed.closes).toBe(true);
    }
    for (const r of responses2026) expect(r.day >= open.opens && r.day <= today).toBe(true);
    // Spread over the campaign rather than all on one day.
    expect(new Set(responses2025.map((r) => r.day)).size).toBeGreaterThan(80);
    expect(responses2025.some((r) => r.day === closed.closes)).toBe(true);
    expect(responses2026.some((r) => r.day === today)).toBe(true);
    // A campaign that has not opened yet has none.
    expect(demoResponses(estate, open, { now: Date.UTC(2026, 8, 30, 12) })).toEqual([]);
  });

  it('tell the demo story: the EPR improves, the shared care record is poor, email is good', () => {
    const epr2025 = meanScore(responses2025, 'epr');
    const epr2026 = meanScore(responses2026, 'epr');
    expect(epr2026).toBeGreaterThan(epr2025 + 3);
    expect(epr2025).toBeGreaterThan(57);
    expect(epr2025).toBeLessThan(66);
    expect(meanScore(responses2025, 'shared-care-record')).toBeLessThan(52);
    expect(meanScore(responses2025, 'email')).toBeGreaterThan(70);
    // Marsh Lane's congested link: its staff find systems slower than everyone else does.
    const atMarshLane = (r: StoredResponse) => r.site === 'marsh-lane';
    expect(meanItem(responses2025, 'infra.responsive', atMarshLane)).toBeLessThan(
      meanItem(responses2025, 'infra.responsive', (r) => !atMarshLane(r)) - 0.5,
    );
  });

  it('spread respondents so that nursing is largest and some groups are too small to show', () => {
    for (const responses of [responses2025, responses2026]) {
      const groups = countBy(responses, (r) => r.staffGroup);
      const largest = [...groups].sort((a, b) => b[1] - a[1])[0];
      expect(largest?.[0]).toBe('nursing');
      const small = (counts: Map<string, number>) => [...counts.values()].filter((n) => n > 0 && n < 11);
      expect(small(countBy(responses, (r) => r.site)).length).toBeGreaterThan(0);
      expect(small(groups).length).toBeGreaterThan(0);
      expect(countBy(responses, (r) => r.site).size).toBe(estate.sites.length);
      expect(countBy(responses, (r) => r.organisation).size).toBe(estate.organisations.length);
    }
  });

  it('leave infrastructure items mostly answered, with opt-outs, and some comments, redacted', () => {
    const infra = responses2025.filter((r) => r.answers.infra);
    expect(infra.length / responses2025.length).toBeGreaterThan(0.9);
    expect(responses2025.some((r) => r.answers.infra?.['infra.timeToRecord'] === 'dont-know')).toBe(true);
    expect(responses2025.some((r) => r.answers.infra?.['infra.partnerSiteLogin'] === 'no-other-sites')).toBe(
      true,
    );
    const comments = responses2025.map((r) => r.comment).filter((c): c is string => c !== null);
    expect(comments.length / responses2025.length).toBeGreaterThan(0.1);
    expect(comments.length / responses2025.length).toBeLessThan(0.2);
    expect(comments.some((c) => c.includes('[email removed]'))).toBe(true);
    expect(comments.some((c) => c.includes('[phone number removed]'))).toBe(true);
    for (const c of [...comments, ...responses2026.flatMap((r) => r.comment ?? [])]) {
      expect(c).not.toMatch(/@/);
      expect(c).not.toMatch(/\d{3,}/);
    }
  });

  it('are seeded into a store once: a restart adds nothing', async () => {
    const file = join(tmp(), 'demo.db');
    const store = SqliteStores.open(file);
    try {
      await store.estate.syncEstate(estate, now);
      const first = await seedDemoSurveys(store.survey, estate, now);
      expect(first).toEqual([
        { campaign: 'usability-2025', added: responses2025.length },
        { campaign: 'usability-2026', added: responses2026.length },
      ]);
      expect(await store.survey.responseCount('usability-2025')).toBe(responses2025.length);
      const second = await seedDemoSurveys(store.survey, estate, now + 86_400_000);
      expect(second).toEqual([
        { campaign: 'usability-2025', added: 0 },
        { campaign: 'usability-2026', added: 0 },
      ]);
      expect(await store.survey.responseCount('usability-2026')).toBe(responses2026.length);
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      const notDemo = db.prepare('SELECT count(*) FROM survey_responses WHERE demo = 0').pluck().get();
      expect(notDemo).toBe(0);
    } finally {
      db.close();
    }
  });
});
