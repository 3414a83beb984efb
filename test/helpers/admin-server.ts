import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { expect } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import type { Estate } from '../../server/config/schema.js';
import { createAgentToken } from '../../server/site-agents/tokens.js';
import type { SqliteStores } from '../../server/store/sqlite/stores.js';
import { asAdmin } from './as-admin.js';

export interface AdminServer {
  /** http://127.0.0.1:PORT */
  base: string;
  /** A GET as an admin: its status and JSON body. */
  get<T>(path: string): Promise<{ status: number; body: T }>;
  /** Results pushed over the agents' API as the site's agent, in batches of 5,000, each taken. */
  push(site: string, results: readonly object[]): Promise<void>;
  close(): Promise<void>;
}

/** The app on 127.0.0.1 over a real database with the clock at `now`, every request an admin's. */
export async function adminServer(store: SqliteStores, estate: Estate, now: number): Promise<AdminServer> {
  const app = createApp({
    store,
    clock: { now: () => now },
    logger: silentLogger,
    estate: () => estate,
    metrics: new Registry(),
  });
  const server = createServer(await asAdmin(app, store));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    async get<T>(path: string) {
      const answer = await fetch(`${base}${path}`);
      return { status: answer.status, body: (await answer.json()) as T };
    },
    async push(site, results) {
      const { token } = await createAgentToken(store.agents, { site, label: null, at: now });
      for (let i = 0; i < results.length; i += 5_000) {
        const answer = await fetch(`${base}/api/v1/agent/results`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ results: results.slice(i, i + 5_000) }),
        });
        expect(answer.status, await answer.clone().text()).toBeLessThan(300);
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
