import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../agent/agent.js';
import { ServerClient } from '../../agent/client.js';
import { Outbox } from '../../agent/outbox.js';
import { silentLogger } from '../../common/logger.js';
import { pushedResult } from '../../runs/agent-wire.js';
import type { RunRecord } from '../../runs/record.js';
import { createApp } from '../../server/api/app.js';
import { createAgentToken } from '../../server/site-agents/tokens.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();

const phases = { dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: 40, transferMs: 1, totalMs: 47 };

const run = (startedAt: number): RunRecord => ({
  checkId: 'epr-login',
  vantagePoint: 'st-annes',
  startedAt,
  state: 'ok',
  phases,
  status: 200,
});

describe('an agent whose outbox holds a result dated years ahead', () => {
  const closing: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close();
  });

  it('has it refused by name, drops and counts it, and delivers the rest', { timeout: 20_000 }, async () => {
    const store = SqliteStores.open(join(tmp(), 'server.db'));
    closing.push(() => store.close());
    await store.estate.syncEstate(estateFrom(smallEstateYaml), Date.now());
    const { token } = await createAgentToken(store.agents, { site: 'st-annes', label: null, at: Date.now() });
    const registry = new Registry();
    const app = createApp({
      store,
      clock: { now: () => Date.now() },
      logger: silentLogger,
      metrics: registry,
    });
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    closing.push(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const outbox = Outbox.open(join(tmp(), 'outbox.db'), { logger: silentLogger });
    closing.push(() => outbox.close());
    const now = Date.now();
    for (const [id, startedAt] of [
      ['before', now - 120_000],
      ['ahead', Date.UTC(2099, 0, 1)],
      ['after', now - 60_000],
    ] as const) {
      outbox.add({ id, at: startedAt, payload: pushedResult(id, run(startedAt)) });
    }
    const client = new ServerClient({
      server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token,
    });
    closing.push(() => client.close());
    // The check's target lies outside this machine: its probe is the one thing not real here.
    const agent = new Agent({
      client,
      outbox,
      logger: silentLogger,
      version: 'test',
      run: async () => ({
        startedAt: new Date().toISOString(),
        ok: true,
        state: 'ok',
        phases: phases,
      }),
    });
    agent.start();
    closing.push(() => agent.stop());

    await until(
      async () => outbox.depth(),
      (depth) => depth === 0,
    );
    expect(outbox.depth()).toBe(0);
    const stored = await store.results.listResults('epr-login', {
      from: 0,
      to: Number.MAX_SAFE_INTEGER,
      limit: 100,
    });
    const startTimes = stored.items.map((item) => item.startedAt);
    expect(startTimes).toContain(now - 120_000);
    expect(startTimes).toContain(now - 60_000);
    expect(startTimes.every((at) => at <= Date.now())).toBe(true);
    expect(agent.status().rejected).toBe(1);
    expect(await registry.metrics()).toContain('vantage_pushed_results_refused_total{reason="future"} 1');
  });
});
