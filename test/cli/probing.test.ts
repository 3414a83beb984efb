import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { apiTokenIn } from '../helpers/as-admin.js';
import { type ServerProcess, startCliServer } from '../helpers/cli.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function target(): Promise<string> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits += 1;
    res.writeHead(hits % 4 === 0 ? 503 : 200, { 'content-type': 'text/plain' }).end('Sign in\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const estate = (address: string, extraCheck = '') => `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
systems:
  - { id: epr, name: Riverside EPR, owner: riverside }
checks:
  - { id: epr-login, system: epr, type: http, target: "http://${address}/login", cron: "* * * * * *", timeout: 2s, expect: { status: [200], bodyContains: Sign in } }
${extraCheck}`;

async function json<T>(server: ServerProcess, path: string, headers: { authorization: string }): Promise<T> {
  return (await (await fetch(new URL(path, server.url), { headers })).json()) as T;
}

describe('vantage serve probes its checks', () => {
  it('runs server checks on schedule, stores results, publishes /metrics, and flushes on shutdown', async () => {
    const address = await target();
    const config = join(tmp(), 'estate.yaml');
    const db = join(tmp(), 'vantage.db');
    writeFileSync(
      config,
      estate(
        address,
        `  - { id: epr-port, system: epr, type: tcp, target: "${address}", cron: "* * * * * *" }\n`,
      ),
    );
    const server = await startCliServer(['--config', config, '--db', db]);
    cleanups.push(() => server.stop('SIGKILL'));
    expect((await fetch(new URL('/readyz', server.url))).status).toBe(200);
    // As a script and a Prometheus scraper ask: with an API token.
    const viewer = await apiTokenIn(db, 'viewer');

    type Results = {
      items: { state: string; vantagePoint: string; phases: { connectMs: number; totalMs: number } }[];
    };
    const results = await until(
      () => json<Results>(server, '/api/v1/checks/epr-login/results', viewer),
      (r) => r.items.length >= 5,
    );
    expect(results.items.length).toBeGreaterThanOrEqual(5);
    expect(results.items.every((r) => r.vantagePoint === 'server')).toBe(true);
    expect(results.items.some((r) => r.state === 'fail')).toBe(true); // every fourth answer is a 503
    expect(results.items.find((r) => r.state === 'ok')?.phases.connectMs).toBeGreaterThan(0);

    const metrics = await (await fetch(new URL('/metrics', server.url), { headers: viewer })).text();
    expect(metrics).toMatch(
      /^probe_success\{check="epr-login",site="server",system="epr",organisation="riverside"\} [01]$/m,
    );
    expect(metrics).toMatch(
      /^probe_http_status_code\{check="epr-login",site="server",system="epr",organisation="riverside"\} (200|503)$/m,
    );
    expect(metrics).toMatch(/^probe_success\{check="epr-port",.*\} 1$/m);
    expect(metrics).toMatch(/^vantage_scheduler_lateness_seconds_count \d+$/m);

    // Reload without the tcp check: it stops, and its series leave /metrics.
    writeFileSync(config, estate(address));
    server.child.kill('SIGHUP');
    const after = await until(
      async () => (await fetch(new URL('/metrics', server.url), { headers: viewer })).text(),
      (text) => !text.includes('check="epr-port"'),
    );
    expect(after).not.toContain('check="epr-port"');

    expect(await server.stop('SIGTERM')).toBe(0);
    const stored = new Database(db, { readonly: true });
    const count = stored.prepare('SELECT count(*) FROM results').pluck().get() as number;
    stored.close();
    expect(count).toBeGreaterThanOrEqual(results.items.length);
  });
});
