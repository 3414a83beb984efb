import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { startServer } from '../../server/serve.js';
import { createAgentToken } from '../../server/site-agents/tokens.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { apiTokenIn } from '../helpers/as-admin.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function target(): Promise<string> {
  const server: Server = createServer((_req, res) => res.writeHead(200).end('Sign in\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const estate = (address: string, checks: ('central' | 'at-site')[]) => `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
systems:
  - { id: epr, name: Riverside EPR, owner: riverside }
checks:
${checks.includes('central') ? `  - { id: central, system: epr, type: http, target: "http://${address}/", cron: "* * * * * *", timeout: 2s }\n` : ''}${checks.includes('at-site') ? `  - { id: at-site, system: epr, type: http, target: "http://${address}/", every: 1m, timeout: 2s, from: [st-annes] }\n` : ''}`;

const series = (check: string, site: string) =>
  new RegExp(
    `^probe_success\\{check="${check}",site="${site}",system="epr",organisation="riverside"\\} 1$`,
    'm',
  );

describe('serve, its subsystems and the stream of stored results', () => {
  it("shows in /metrics the server's runs and an agent's, once stored, and follows a reload", async () => {
    const address = await target();
    const config = join(tmp(), 'estate.yaml');
    const db = join(tmp(), 'vantage.db');
    writeFileSync(config, estate(address, ['central', 'at-site']));
    const server = await startServer({
      configFile: config,
      dbFile: db,
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
    });
    cleanups.push(() => server.close());
    const headers = await apiTokenIn(db);
    const metrics = async () => (await fetch(new URL('/metrics', server.url), { headers })).text();

    // The server's own check, run by its scheduler, stored by its writer, published to /metrics.
    await until(metrics, (text) => series('central', 'server').test(text));

    // An agent's batch reaches /metrics by the same stream, once.
    const store = SqliteStores.open(db);
    const { token } = await createAgentToken(store.agents, { site: 'st-annes', label: null, at: Date.now() });
    await store.close();
    const result = {
      id: 'run-1',
      checkId: 'at-site',
      startedAt: new Date(Date.now() - 1_000).toISOString(),
      ok: true,
      state: 'ok',
      phases: { dnsMs: 1, connectMs: 1, tlsMs: null, ttfbMs: 5, transferMs: 1, totalMs: 8 },
      status: 200,
    };
    const push = () =>
      fetch(new URL('/api/v1/agent/results', server.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ results: [result] }),
      });
    expect((await push()).status).toBe(200);
    const afterFirst = await metrics();
    expect(afterFirst).toMatch(series('at-site', 'st-annes'));
    // A retried batch is stored already, and so not published again (see test/results/stream.test.ts).
    expect(await (await push()).json()).toEqual({ received: 1, stored: 0, duplicates: 1 });

    // A reload reaches every subsystem: the check taken out loses its series.
    writeFileSync(config, estate(address, ['central']));
    const reloaded = await server.reload();
    expect(reloaded.ok).toBe(true);
    const text = await metrics();
    expect(text).not.toMatch(/check="at-site"/);
    expect(text).toMatch(series('central', 'server'));
  });
});
