import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../agent/agent.js';
import { ServerClient } from '../../agent/client.js';
import { Outbox } from '../../agent/outbox.js';
import { startServer } from '../../server/serve.js';
import { createAgentToken } from '../../server/site-agents/tokens.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { apiTokenIn } from '../helpers/as-admin.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';
import {
  capturedLogger,
  estateHead,
  guardedCheck,
  guardedSystem,
  SECRETS,
  secretsIn,
  secretsInFiles,
} from './fixture.js';

const tmp = useTmpDir();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Latest = { latest: { vantagePoint: string; result: { state: string; error?: { message: string } } }[] };

describe("an agent given a site's secrets", () => {
  it('probes with them, and keeps them out of its results, its outbox and its log', async () => {
    const system = await guardedSystem();
    cleanups.push(() => system.close());
    const config = join(tmp(), 'estate.yaml');
    const db = join(tmp(), 'vantage.db');
    writeFileSync(
      config,
      [
        estateHead,
        guardedCheck('epr-login', system.address, ['from: [st-annes]']),
        guardedCheck('epr-absent', system.address, ['from: [st-annes]'], 'ABSENT_TEXT'),
        '',
      ].join('\n'),
    );
    const server = await startServer({
      configFile: config,
      dbFile: db,
      port: 0,
      host: '127.0.0.1',
      logger: capturedLogger().logger,
      env: SECRETS,
    });
    cleanups.push(() => server.close());
    const store = SqliteStores.open(db);
    const { token } = await createAgentToken(store.agents, {
      site: 'st-annes',
      label: 'test',
      at: Date.now(),
    });
    store.close();

    const { lines, logger } = capturedLogger();
    const outboxFile = join(tmp(), 'agent', 'outbox.db');
    const assignmentsFile = `${outboxFile}.assignments.json`;
    const outbox = Outbox.open(outboxFile, { logger });
    const client = new ServerClient({ server: server.url.replace(/\/$/, ''), token });
    const agent = new Agent({ client, outbox, logger, version: 'test', assignmentsFile });
    cleanups.push(() => outbox.close());
    cleanups.push(() => client.close());
    cleanups.push(() => agent.stop());
    agent.start();

    const headers = await apiTokenIn(db);
    const latestOf = async (id: string) =>
      ((await (await fetch(new URL(`/api/v1/checks/${id}`, server.url), { headers })).json()) as Latest)
        .latest[0]?.result;
    const settled = await until(
      async () => ({ login: await latestOf('epr-login'), absent: await latestOf('epr-absent') }),
      ({ login, absent }) => login !== undefined && absent !== undefined,
    );
    // Sent resolved, the checks reached the system with their real values.
    expect(settled.login?.state).toBe('ok');
    expect(system.seen[0]?.apiKey).toBe(SECRETS.HEADER_TOKEN);
    expect(settled.absent?.error?.message).toBe("the body does not contain '${ABSENT_TEXT}'");

    await agent.stop();
    // What the agent wrote for sending had the secret replaced before it was written.
    expect(secretsInFiles(outboxFile)).toEqual([]);
    expect(secretsIn(lines.join(''))).toEqual([]);
    // The kept assignments hold the secrets, for a restart while the server is away: owner only.
    expect(statSync(assignmentsFile).mode & 0o777).toBe(0o600);
    expect(secretsIn(readFileSync(assignmentsFile, 'utf8'))).toContain(SECRETS.HEADER_TOKEN);
  });
});
