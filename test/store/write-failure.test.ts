import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import type { RunRecord } from '../../runs/record.js';
import { createApp } from '../../server/api/app.js';
import { ResultWriter } from '../../server/results/writer.js';
import { createAgentToken } from '../../server/site-agents/tokens.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { asAdmin } from '../helpers/as-admin.js';
import { fillUntilRefused } from '../helpers/disk-full.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const at = Date.UTC(2026, 10, 2, 9);
let store: SqliteStores | undefined;
afterEach(async () => {
  await store?.close();
});

function runs(count: number, from: number): RunRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    checkId: 'epr-login',
    vantagePoint: 'st-annes',
    startedAt: at + (from + i) * 1_000,
    state: 'ok',
    phases: {
      dnsMs: 1,
      connectMs: 2,
      tlsMs: 3,
      ttfbMs: 40 + (i % 50),
      transferMs: 1,
      totalMs: 47 + (i % 50),
    },
    status: 200,
  }));
}

describe('readiness while the disk is full', () => {
  it('is not ready while writes fail, and ready again once a write succeeds, losing no run', async () => {
    const opened = SqliteStores.open(join(tmp(), 'full.db'));
    store = opened;
    await opened.estate.syncEstate(estateFrom(smallEstateYaml), at);
    const app = await asAdmin(
      createApp({ store: opened, clock: { now: () => at }, logger: silentLogger }),
      opened,
    );
    const logged: string[] = [];
    const logger = {
      info: (message: string) => logged.push(`info ${message}`),
      warn: (message: string) => logged.push(`warn ${message}`),
      error: (message: string) => logged.push(`error ${message}`),
    };
    const writer = new ResultWriter({ store: opened.results, logger, maxDelayMs: 60_000 });
    expect((await request(app).get('/readyz')).status).toBe(200);

    const filled = await fillUntilRefused(opened.db, writer, (from) => runs(500, from));
    const { pages } = filled;
    let { added } = filled;
    expect(writer.pending).toBe(500);

    const full = await request(app).get('/readyz');
    expect(full.status).toBe(503);
    expect(full.body.error).toEqual({
      code: 'unavailable',
      message: 'database not writable: database or disk is full',
    });

    // Retried while full, the failure is logged once, not at every retry.
    for (const run of runs(10, added)) writer.add(run);
    added += 10;
    await writer.flush();
    await writer.flush();
    expect(logged).toEqual(['error writing results failed; will retry']);

    opened.db.pragma(`max_page_count = ${pages * 1_000}`);
    await writer.flush();
    expect(writer.pending).toBe(0);
    expect(logged.at(-1)).toBe('info writing results again');
    expect((await request(app).get('/readyz')).status).toBe(200);
    const stored = opened.db.prepare('SELECT count(*) FROM results').pluck().get();
    expect(stored).toBe(added);
  });

  it("answers an agent's batch with 503, not 500, while the database is full, storing none of it", async () => {
    const opened = SqliteStores.open(join(tmp(), 'full-batch.db'));
    store = opened;
    await opened.estate.syncEstate(estateFrom(smallEstateYaml), at);
    const { token } = await createAgentToken(opened.agents, { site: 'st-annes', label: null, at });
    const app = await asAdmin(
      createApp({ store: opened, clock: { now: () => at + 3_600_000 }, logger: silentLogger }),
      opened,
    );
    opened.db.pragma(`max_page_count = ${opened.db.pragma('page_count', { simple: true })}`);
    // Filled to the last page: in ever smaller batches until not even one run fits.
    let stored = 0;
    for (const size of [500, 50, 5, 1]) {
      for (;;) {
        try {
          await opened.results.recordRuns(runs(size, stored));
          stored += size;
        } catch {
          break;
        }
      }
    }

    const results = runs(50, stored).map((run, i) => ({
      id: `run-${i}`,
      checkId: run.checkId,
      startedAt: new Date(run.startedAt).toISOString(),
      ok: true,
      state: 'ok',
      phases: run.phases,
      status: 200,
    }));
    const batch = await request(app)
      .post('/api/v1/agent/results')
      .set('Authorization', `Bearer ${token}`)
      .send({ results });
    expect(batch.status).toBe(503);
    expect(batch.body.error).toEqual({
      code: 'unavailable',
      message:
        'the database cannot take writes now (disk full or failing); nothing was stored, send it again later',
    });
    expect(opened.db.prepare('SELECT count(*) FROM results').pluck().get()).toBe(stored);
    expect((await request(app).get('/readyz')).status).toBe(503);
  });

  it('stays ready after a write refused for its data rather than for the disk', async () => {
    const opened = SqliteStores.open(join(tmp(), 'fine.db'));
    store = opened;
    await opened.estate.syncEstate(estateFrom(smallEstateYaml), at);
    const app = await asAdmin(
      createApp({ store: opened, clock: { now: () => at }, logger: silentLogger }),
      opened,
    );
    // A token id given twice breaks a constraint: one bad write, not a bad disk.
    const token = { id: 'x', site: 'st-annes', label: null, secretHash: 'h', createdAt: at };
    await opened.agents.addToken(token);
    await expect(opened.agents.addToken(token)).rejects.toThrow(/UNIQUE/);
    expect((await request(app).get('/readyz')).status).toBe(200);
  });
});
