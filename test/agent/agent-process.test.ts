import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath, runCli, type ServerProcess, startCliServer } from '../helpers/cli.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const children: ChildProcess[] = [];
const servers: Server[] = [];
const running: ServerProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const server of running.splice(0)) await server.stop('SIGKILL');
  for (const server of servers.splice(0)) server.close();
});

/** A system to probe: answers at once. */
async function startTarget(): Promise<string> {
  const server = createServer((_req, res) => res.end('Sign in'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function estate(target: string): string {
  return `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
checks:
  - { id: epr-web, system: epr, type: http, target: 'http://${target}/login', every: 1s, timeout: 1s, from: [st-annes] }
  - { id: epr-port, system: epr, type: tcp, target: '${target}', every: 1s, timeout: 1s, from: [st-annes] }
`;
}

interface AgentProcess {
  child: ChildProcess;
  metricsUrl: string;
  log(): string;
}

function startAgent(
  server: string,
  token: string,
  outbox: string,
  more: string[] = [],
): Promise<AgentProcess> {
  const child = spawn(
    process.execPath,
    [
      cliPath,
      'agent',
      '--server',
      server,
      '--token',
      token,
      '--outbox',
      outbox,
      '--metrics-port',
      '0',
      ...more,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the agent did not start:\n${log}`)), 15_000);
    const look = () => {
      const url = /agent \/metrics listening url=(\S+)/.exec(log)?.[1];
      if (url) {
        clearTimeout(timer);
        child.stderr?.off('data', look);
        resolve({ child, metricsUrl: url, log: () => log });
      }
    };
    child.stderr?.on('data', look);
  });
}

async function outboxDepth(agent: AgentProcess): Promise<number> {
  const text = await (await fetch(agent.metricsUrl)).text();
  return Number(/^vantage_agent_outbox_depth (\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

/** Every run stored for the site, per check: start times in order. */
function storedRuns(db: string): Map<string, number[]> {
  const conn = new Database(db, { readonly: true });
  const rows = conn
    .prepare(
      `SELECT c.id AS check_id, r.at, r.state FROM results r JOIN checks c ON c.key = r.check_key
       JOIN sites s ON s.key = r.vp WHERE s.id = 'st-annes' ORDER BY c.id, r.at`,
    )
    .all() as { check_id: string; at: number; state: number }[];
  conn.close();
  const runs = new Map<string, number[]>();
  for (const row of rows) runs.set(row.check_id, [...(runs.get(row.check_id) ?? []), row.at]);
  return runs;
}

/**
 * Each check ran every second (each run starts within milliseconds of its second) from its first run
 * to its last, and each run is stored once: nothing missing, nothing twice. While no agent process was
 * running (`down`: killed, not yet restarted) runs may be missing, since nothing could run them.
 */
function expectEverySecond(runs: Map<string, number[]>, atLeast: number, down?: [number, number]): void {
  expect([...runs.keys()]).toEqual(['epr-port', 'epr-web']);
  for (const [check, times] of runs) {
    const seconds = times.map((at) => Math.round(at / 1000));
    expect(new Set(seconds).size, `${check}: a run stored twice`).toBe(seconds.length);
    const first = seconds[0] ?? 0;
    const stored = new Set(seconds);
    const missing = Array.from({ length: (seconds.at(-1) ?? 0) - first + 1 }, (_, i) => first + i).filter(
      (second) => !stored.has(second) && (!down || second * 1000 < down[0] || second * 1000 > down[1]),
    );
    expect(missing, `${check}: runs missing`).toEqual([]);
    expect(times.length).toBeGreaterThanOrEqual(atLeast);
  }
}

async function setUp() {
  const dir = tmp();
  const config = join(dir, 'estate.yaml');
  const db = join(dir, 'vantage.db');
  writeFileSync(config, estate(await startTarget()));
  const made = runCli(['token', 'create', '--site', 'st-annes', '--config', config, '--db', db]);
  expect(made.code, made.stderr).toBe(0);
  const token = made.stdout.trim();
  const server = await startCliServer(['--config', config, '--db', db]);
  running.push(server);
  return { dir, config, db, token, server };
}

/**
 * How long the server is away: 6 s unless VANTAGE_TEST_OUTAGE_MS says otherwise. The agent's longest
 * wait between attempts is a third of it, so in any outage the agent's waits grow to the longest and
 * it tries again at that, as it would with its default 30 s in an outage of minutes.
 */
const outageMs = Number(process.env.VANTAGE_TEST_OUTAGE_MS ?? 6_000);
const maxBackoffS = Math.max(1, Math.round(outageMs / 3_000));

describe('an agent and the server as separate processes', () => {
  it(`loses and repeats nothing while the server is down for ${outageMs / 1000} s`, {
    timeout: outageMs + 90_000,
  }, async () => {
    const { dir, config, db, token, server } = await setUp();
    const port = Number(new URL(server.url).port);
    const agent = await startAgent(server.url, token, join(dir, 'outbox.db'), [
      '--max-backoff',
      `${maxBackoffS}s`,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    expect(await server.stop('SIGTERM')).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, outageMs));
    const backlog = await outboxDepth(agent);
    // Two checks a second, kept while the server was away.
    expect(backlog).toBeGreaterThanOrEqual(Math.floor((2 * outageMs * 0.8) / 1000));

    const again = await startCliServer(['--config', config, '--db', db], 20_000, port);
    running.push(again);
    // The next attempt comes within the longest wait (give or take a quarter), and the backlog goes.
    expect(
      await until(
        () => outboxDepth(agent),
        (depth) => depth === 0,
        maxBackoffS * 1_250 + 10_000,
      ),
    ).toBe(0);
    agent.child.kill('SIGTERM');
    await new Promise((resolve) => agent.child.once('exit', resolve));
    expect(await again.stop('SIGTERM')).toBe(0);

    expect(agent.log()).toContain('cannot reach the server; probing on, results wait in the outbox');
    expectEverySecond(storedRuns(db), Math.floor(((3_000 + outageMs) * 0.8) / 1000));
  });

  it('loses and repeats nothing when killed with SIGKILL in the middle of sending a batch', {
    timeout: 90_000,
  }, async () => {
    const { dir, db, token, server } = await setUp();
    // Between agent and server: first refuses results (a backlog builds), then passes one batch on,
    // and kills the agent before the server's answer reaches it; after that, passes everything.
    let mode: 'refuse' | 'kill' | 'pass' = 'refuse';
    let victim: ChildProcess | undefined;
    const answers: { stored: number; duplicates: number }[] = [];
    const upstream = new URL(server.url);
    const proxy = createServer((req, res) => {
      const isResults = req.url?.endsWith('/agent/results');
      if (isResults && mode === 'refuse') {
        req.resume();
        res
          .writeHead(503, { 'Content-Type': 'application/json' })
          .end('{"error":{"code":"unavailable","message":"not now"}}');
        return;
      }
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const body = Buffer.concat(chunks);
            if (isResults && answer.statusCode === 200) answers.push(JSON.parse(body.toString()));
            if (isResults && mode === 'kill') {
              mode = 'pass';
              victim?.kill('SIGKILL'); // the server has the batch; the agent never hears so
              res.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers).end(body);
          });
        },
      );
      req.pipe(forward);
    });
    servers.push(proxy);
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const outbox = join(dir, 'outbox.db');

    const first = await startAgent(proxyUrl, token, outbox);
    victim = first.child;
    await until(
      () => outboxDepth(first),
      (depth) => depth >= 20,
      20_000,
    );
    mode = 'kill';
    const killed = await new Promise<NodeJS.Signals | null>((resolve) =>
      first.child.once('exit', (_code, signal) => resolve(signal)),
    );
    const killedAt = Date.now();
    expect(killed).toBe('SIGKILL');
    expect(answers.at(-1)?.stored).toBeGreaterThanOrEqual(10); // stored by the server, never acknowledged

    const second = await startAgent(proxyUrl, token, outbox);
    const restartedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(
      await until(
        () => outboxDepth(second),
        (depth) => depth === 0,
        20_000,
      ),
    ).toBe(0);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
    expect(await server.stop('SIGTERM')).toBe(0);

    // The unacknowledged batch was sent again and recognised, not stored twice.
    expect(answers.some((answer) => answer.duplicates > 0)).toBe(true);
    expectEverySecond(storedRuns(db), 10, [killedAt - 1_000, restartedAt + 1_000]);
  });
});
