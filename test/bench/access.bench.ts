import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { apiTokenFor } from '../helpers/as-admin.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { signedIn } from '../helpers/sessions.js';
import { stats } from './measure.js';
import { withoutGuards } from './without-guards.js';

const WARM_UP = 500;
const ROUNDS = 5_000;
const PATH = '/api/v1/checks/epr-login';

async function listen(app: Express): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** One GET over a kept-alive connection, timed from sending to the last byte. */
function get(agent: http.Agent, port: number, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: PATH, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${PATH} answered ${res.statusCode}`));
        else resolve(performance.now() - started);
      });
    });
    req.on('error', reject);
  });
}

/**
 * What authorisation adds to a request: `GET /api/v1/checks/:id` on a real SQLite file, with an API
 * token and with a session cookie, against the same app with the guards taken out, in one run. The
 * three are asked in turn, round after round (in a rotating order), so the machine's drift falls on
 * each alike.
 */
export async function benchAccess(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vantage-access-'));
  const store = SqliteStores.open(join(dir, 'access.db'));
  const servers: http.Server[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const estate = estateFrom(smallEstateYaml);
    await store.estate.syncEstate(estate, Date.now());
    const deps = { store, clock: { now: () => Date.now() }, logger: silentLogger, estate: () => estate };
    const guarded = await listen(createApp(deps));
    const bare = await listen(withoutGuards(createApp(deps)));
    servers.push(guarded.server, bare.server);
    const token = await apiTokenFor(store, 'viewer');
    const session = await signedIn(store, 'viewer');
    const variants: { label: string; port: number; headers: Record<string, string> }[] = [
      { label: 'without the guard', port: bare.port, headers: {} },
      { label: 'with an API token', port: guarded.port, headers: { Authorization: `Bearer ${token}` } },
      { label: 'with a session cookie', port: guarded.port, headers: { Cookie: session.cookie } },
    ];
    const samples = variants.map(() => [] as number[]);
    for (let round = 0; round < WARM_UP + ROUNDS; round++) {
      for (let k = 0; k < variants.length; k++) {
        const i = (round + k) % variants.length;
        const variant = variants[i] as (typeof variants)[number];
        const ms = await get(agent, variant.port, variant.headers);
        if (round >= WARM_UP) samples[i]?.push(ms);
      }
    }
    const medians = samples.map((s) => stats(s).median);
    const base = medians[0] as number;
    console.log(
      `GET ${PATH}, ${ROUNDS.toLocaleString('en-GB')} requests each over one kept-alive connection`,
    );
    variants.forEach((variant, i) => {
      const { median, min } = stats(samples[i] as number[]);
      console.log(`${variant.label.padEnd(36)} median ${median.toFixed(3)} ms  (min ${min.toFixed(3)})`);
    });
    for (const i of [1, 2]) {
      const added = (medians[i] as number) - base;
      console.log(
        `${`added ${variants[i]?.label}`.padEnd(36)} median ${added.toFixed(3)} ms   goal < 0.2 ms  ${added < 0.2 ? 'OK' : 'MISSED'}`,
      );
    }
  } finally {
    agent.destroy();
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
