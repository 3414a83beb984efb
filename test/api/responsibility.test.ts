import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import type { RunRecord } from '../../runs/record.js';
import { createApp } from '../../server/api/app.js';
import { answer } from '../../server/demo/behaviour.js';
import { siteCondition } from '../../server/demo/network.js';
import { generator } from '../../server/demo/random.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { asAdmin } from '../helpers/as-admin.js';
import { demoText, estateFrom } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const MINUTE = 60_000;
/** A Tuesday before dawn: the runs below go through the morning peak. */
const start = Date.UTC(2026, 10, 24, 6, 0);
const estate = estateFrom(demoText());

/**
 * Runs as the demo makes them: each system answers as demo/behaviour.ts says and each site's link
 * adds what demo/network.ts says (a round trip to connect and one for the request, a lost SYN's
 * 1 s retransmission, a reset while the link is down).
 */
function demoRuns(checkId: string, system: string, everyMinutes: number, minutes: number): RunRecord[] {
  const check = estate.checks.find((c) => c.id === checkId);
  const random = generator(7);
  const runs: RunRecord[] = [];
  for (let m = 0; m < minutes; m += everyMinutes) {
    const at = start + m * MINUTE;
    for (const site of check?.from ?? []) {
      const link = siteCondition(site, at);
      const reply = answer(system, at, random);
      const lost = random() < link.lossRate ? 1_000 : 0;
      if (link.down || !reply || reply.status !== 200) {
        runs.push({
          checkId,
          vantagePoint: site,
          startedAt: at,
          state: 'fail',
          phases: { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, transferMs: null, totalMs: 5 },
          error: {
            class: link.down ? 'reset' : 'http_status',
            message: link.down ? 'connection reset' : 'status 503',
          },
        });
        continue;
      }
      const connectMs = link.latencyMs + lost;
      const ttfbMs = link.latencyMs + reply.delayMs;
      const totalMs = connectMs + ttfbMs + 2;
      runs.push({
        checkId,
        vantagePoint: site,
        startedAt: at,
        state: 'ok',
        phases: { dnsMs: null, connectMs, tlsMs: null, ttfbMs, transferMs: 2, totalMs },
        status: 200,
      });
    }
  }
  return runs;
}

interface CheckVerdictBody {
  checkId: string;
  outcome: string;
  responsible: { organisation: string | null; role: string; vantagePoints: string[] }[];
  vantagePoints: { vantagePoint: string; runs: number; judged: string; problems: string[] }[];
}

describe('GET /api/v1/systems/:id/responsibility', () => {
  let store: SqliteStores;
  let now = start;
  const app = async () =>
    await asAdmin(createApp({ store, clock: { now: () => now }, logger: silentLogger }), store);
  const verdictOf = async (system: string, checkId: string) => {
    const response = await request(await app())
      .get(`/api/v1/systems/${system}/responsibility`)
      .expect(200);
    const checks = response.body.checks as CheckVerdictBody[];
    const found = checks.find((c) => c.checkId === checkId);
    if (!found) throw new Error(`no verdict for ${checkId}`);
    return found;
  };

  beforeEach(async () => {
    store = SqliteStores.open(join(tmp(), 'vantage.db'));
    await store.estate.syncEstate(estate, start);
  });
  afterEach(() => store.close());

  it('says not enough runs yet twelve minutes after the demo starts, rather than naming sites', async () => {
    await store.results.recordRuns(demoRuns('epr-login', 'epr', 1, 12));
    now = start + 12 * MINUTE;
    const verdict = await verdictOf('epr', 'epr-login');
    expect(verdict.outcome).toBe('not-enough-runs');
    expect(verdict.responsible).toEqual([]);
    expect(verdict.vantagePoints.map((vp) => [vp.runs, vp.judged])).toEqual(
      Array(7).fill([12, 'too-few-runs']),
    );
  });

  it("names the shared care record's owner for its fourfold slowdown everywhere", async () => {
    await store.results.recordRuns(demoRuns('shared-care-record-portal', 'shared-care-record', 2, 4 * 60));
    now = start + 4 * 60 * MINUTE;
    const verdict = await verdictOf('shared-care-record', 'shared-care-record-portal');
    expect(verdict.outcome).toBe('system');
    expect(verdict.responsible).toEqual([
      { organisation: 'ne-thames-icb', role: 'owner', vantagePoints: expect.any(Array) },
    ]);
    expect(verdict.responsible[0]?.vantagePoints.length).toBeGreaterThanOrEqual(3);
    expect(
      verdict.vantagePoints.every((vp) => vp.judged === 'compared' && vp.problems.includes('slow-tail')),
    ).toBe(true);
  });

  it("names only Marsh Lane's host for the EPR, whose link there is congested", async () => {
    await store.results.recordRuns(demoRuns('epr-login', 'epr', 1, 4 * 60));
    now = start + 4 * 60 * MINUTE;
    const verdict = await verdictOf('epr', 'epr-login');
    expect(verdict.outcome).toBe('local');
    expect(verdict.responsible).toEqual([
      { organisation: 'leaside', role: 'host', vantagePoints: ['marsh-lane'] },
    ]);
  });

  it('answers 404 for a system that does not exist and 400 for an unknown window', async () => {
    const missing = await request(await app())
      .get('/api/v1/systems/nope/responsibility')
      .expect(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', message: "no system with id 'nope'" });
    const bad = await request(await app())
      .get('/api/v1/systems/epr/responsibility?window=2h')
      .expect(400);
    expect(bad.body.error.code).toBe('invalid');
  });
});
