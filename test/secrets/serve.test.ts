import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runProbe } from '../../probes/run.js';
import { type RunningServer, startServer } from '../../server/serve.js';
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
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serveGuarded(env: Record<string, string> = SECRETS) {
  const system = await guardedSystem();
  cleanups.push(() => system.close());
  const config = join(tmp(), 'estate.yaml');
  const db = join(tmp(), 'vantage.db');
  writeFileSync(
    config,
    [
      estateHead,
      guardedCheck('epr-login', system.address),
      guardedCheck('epr-absent', system.address, [], 'ABSENT_TEXT'),
      // A probe that throws quoting its target: the log line must still not carry the secrets.
      guardedCheck('epr-throws', system.address),
      guardedCheck('epr-remote', system.address, ['from: [st-annes]']),
      '',
    ].join('\n'),
  );
  const { lines, logger } = capturedLogger();
  const start = () =>
    startServer({
      configFile: config,
      dbFile: db,
      port: 0,
      host: '127.0.0.1',
      logger,
      env,
      run: (check, signal) => {
        if (check.id === 'epr-throws') throw new Error(`cannot reach ${check.target}`);
        return runProbe(check, signal);
      },
    });
  const server = await start();
  readers.set(server, await apiTokenIn(db));
  let open: RunningServer | undefined = server;
  cleanups.push(async () => open?.close());
  const close = async () => {
    await open?.close();
    open = undefined;
  };
  return { server, system, db, lines, close };
}

/** An admin's API token for each server started, as a script reading the API would have. */
const readers = new WeakMap<RunningServer, { authorization: string }>();

const get = async (server: RunningServer, path: string) => {
  const response = await fetch(new URL(path, server.url), { headers: readers.get(server) ?? {} });
  return { status: response.status, text: await response.text() };
};

type CheckAnswer = {
  target: string;
  expect: { bodyContains: string };
  latest: { vantagePoint: string; result: { state: string; error?: { message: string } } }[];
};

describe('secrets from ${NAME}', () => {
  it('are probed with their real values but never returned by the API, logged or stored', async () => {
    const { server, system, db, lines, close } = await serveGuarded();
    const settled = await until(
      async () => ({
        login: JSON.parse((await get(server, '/api/v1/checks/epr-login')).text) as CheckAnswer,
        absent: JSON.parse((await get(server, '/api/v1/checks/epr-absent')).text) as CheckAnswer,
      }),
      ({ login, absent }) =>
        login.latest.length > 0 && absent.latest.length > 0 && lines.some((l) => l.includes('threw')),
    );

    // The probe sent every secret in its place, and the system let it in.
    expect(settled.login.latest[0]?.result.state).toBe('ok');
    expect(system.seen[0]).toEqual({
      method: 'POST',
      url: `/login/${SECRETS.PATH_KEY}?key=${SECRETS.QUERY_KEY}`,
      apiKey: SECRETS.HEADER_TOKEN,
      body: SECRETS.BODY_SECRET,
    });

    // The API shows each value by its reference.
    expect(settled.login.target).toBe(`http://${system.address}/login/\${PATH_KEY}?key=\${QUERY_KEY}`);
    expect(settled.login.expect.bodyContains).toBe('${EXPECT_TEXT}');
    // A failure that quotes the expected text quotes the reference.
    expect(settled.absent.latest[0]?.result.error?.message).toBe(
      "the body does not contain '${ABSENT_TEXT}'",
    );

    for (const path of [
      '/api/v1/checks',
      '/api/v1/checks/epr-login',
      '/api/v1/checks/epr-absent',
      '/api/v1/checks/epr-remote',
      '/api/v1/checks/epr-absent/results',
      '/api/v1/estate',
      '/api/v1/estate?includeRetired=true',
      '/metrics',
    ]) {
      const answer = await get(server, path);
      expect(answer.status, path).toBe(200);
      expect(secretsIn(answer.text), path).toEqual([]);
    }

    const log = lines.join('');
    expect(log).toContain('probe threw');
    expect(log).toContain('${PATH_KEY}');
    expect(secretsIn(log)).toEqual([]);

    // Created readable by its owner only: the database, its WAL and shared memory.
    for (const file of [db, `${db}-wal`, `${db}-shm`]) expect(statSync(file).mode & 0o777, file).toBe(0o600);
    expect(secretsInFiles(db)).toEqual([]);
    await close();
    expect(secretsInFiles(db)).toEqual([]);
  });

  it("are resolved for a site's agent, whose assignments change when a secret's value does", async () => {
    const first = await serveGuarded();
    const store = SqliteStores.open(first.db);
    const { token } = await createAgentToken(store.agents, {
      site: 'st-annes',
      label: 'test',
      at: Date.now(),
    });
    store.close();
    const assignments = async (server: RunningServer) => {
      const response = await fetch(new URL('/api/v1/agent/assignments', server.url), {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        checks: { id: string; target: string; headers: Record<string, string> }[];
        secrets: { name: string; value: string }[];
      };
      return { etag: response.headers.get('etag'), body };
    };

    const before = await assignments(first.server);
    expect(before.body.checks.map((check) => check.id)).toEqual(['epr-remote']);
    expect(before.body.checks[0]?.target).toBe(
      `http://${first.system.address}/login/${SECRETS.PATH_KEY}?key=${SECRETS.QUERY_KEY}`,
    );
    expect(before.body.checks[0]?.headers).toEqual({ 'X-Api-Key': SECRETS.HEADER_TOKEN });
    expect(before.body.secrets).toContainEqual({ name: 'HEADER_TOKEN', value: SECRETS.HEADER_TOKEN });
    await first.close();

    // The same estate file and database, with one secret changed in the environment.
    const again = await startServer({
      configFile: join(tmp(), 'estate.yaml'),
      dbFile: first.db,
      port: 0,
      host: '127.0.0.1',
      logger: capturedLogger().logger,
      env: { ...SECRETS, HEADER_TOKEN: 'rotated-token-3141' },
    });
    cleanups.push(() => again.close());
    const after = await assignments(again);
    expect(after.body.checks[0]?.headers).toEqual({ 'X-Api-Key': 'rotated-token-3141' });
    expect(after.etag).not.toBe(before.etag);
  });
});
