import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { RunRecord } from '../../../runs/record.js';
import { formatConfigError, loadEstateFile } from '../../../server/config/load.js';
import { createAgentToken } from '../../../server/site-agents/tokens.js';
import { SqliteStores } from '../../../server/store/sqlite/stores.js';
import { type CliProcess, procStats, serveReady, sleep, spawnCli, TICKS_PER_SECOND } from '../processes.js';

/** What the agent benchmarks share: estates, processes, sampling, printing. */

// --- shared -------------------------------------------------------------------------------------

export interface CheckSpec {
  id: string;
  site: string;
  target: string;
}

export function estateYaml(sites: string[], checks: CheckSpec[], every: string): string {
  const lines = [
    'organisations:',
    '  - { id: icb, name: Integrated Care Board, kind: commissioner }',
    'sites:',
    ...sites.map((site) => `  - { id: ${site}, name: Site ${site}, host: icb }`),
    'systems:',
    ...Array.from({ length: 10 }, (_, s) => `  - { id: sys-${s}, name: System ${s}, owner: icb }`),
    'checks:',
    ...checks.map(
      (check, i) =>
        `  - { id: ${check.id}, system: sys-${i % 10}, type: http, target: "${check.target}", every: ${every}, timeout: 5s, from: [${check.site}] }`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Syncs the estate into a new database and makes a token for each site, before the server starts. */
export async function prepareDatabase(
  dbFile: string,
  config: string,
  sites: string[],
): Promise<Map<string, string>> {
  const loaded = loadEstateFile(config, process.env);
  if (!loaded.ok) throw new Error(loaded.errors.map(formatConfigError).join('\n'));
  const store = SqliteStores.open(dbFile);
  try {
    await store.estate.syncEstate(loaded.estate, Date.now());
    const tokens = new Map<string, string>();
    for (const site of sites) {
      tokens.set(
        site,
        (await createAgentToken(store.agents, { site, label: 'bench', at: Date.now() })).token,
      );
    }
    return tokens;
  } finally {
    await store.close();
  }
}

/** A run as an https probe would give it: mostly ok, some slow, one in 97 timed out. */
export function runRecord(checkId: string, site: string, startedAt: number, n: number): RunRecord {
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const dnsMs = round(0.4 + (n % 5) * 0.37);
  const connectMs = round(0.8 + (n % 3) * 0.41);
  const tlsMs = round(6 + (n % 11) * 1.13);
  if (n % 97 === 0) {
    return {
      checkId,
      vantagePoint: site,
      startedAt,
      state: 'fail',
      phases: { dnsMs, connectMs, tlsMs, ttfbMs: null, transferMs: null, totalMs: 5_000 },
      error: { class: 'timeout', message: 'no answer within 5 s' },
      details: { address: '10.20.30.40:443' },
    };
  }
  const ttfbMs = round(40 + ((n * 37) % 400) + 0.123);
  const transferMs = round(1 + (n % 9) * 0.7);
  const totalMs = round(dnsMs + connectMs + tlsMs + ttfbMs + transferMs);
  return {
    checkId,
    vantagePoint: site,
    startedAt,
    state: totalMs > 400 ? 'degraded' : 'ok',
    phases: { dnsMs, connectMs, tlsMs, ttfbMs, transferMs, totalMs },
    status: 200,
    details: { address: '10.20.30.40:443', redirects: 0, bodyBytes: 4_000 + (n % 2_000) },
  };
}

/** `vantage ARGS`, in `children` while it runs; only its output's tail is kept, as a busy server logs a lot. */
function spawnTracked(children: Set<ChildProcess>, args: string[]): CliProcess {
  const cli = spawnCli(args, 65_536);
  children.add(cli.child);
  cli.child.once('exit', () => children.delete(cli.child));
  return cli;
}

export async function startServe(children: Set<ChildProcess>, config: string, dbFile: string) {
  const cli = spawnTracked(children, ['serve', '--config', config, '--db', dbFile, '--port', '0']);
  try {
    return { ...cli, url: await serveReady(cli, performance.now() + 90_000, 90_000) };
  } catch (error) {
    cli.child.kill('SIGKILL');
    throw error;
  }
}

export async function startAgent(children: Set<ChildProcess>, server: string, token: string, outbox: string) {
  const cli = spawnTracked(children, [
    'agent',
    '--server',
    server,
    '--token',
    token,
    '--outbox',
    outbox,
    '--metrics-port',
    '0',
  ]);
  try {
    const metricsUrl = (
      await waitFor(
        cli,
        'stderr',
        /agent \/metrics listening url=(\S+)/,
        30_000,
        'vantage agent to serve /metrics',
      )
    )[1] as string;
    await waitFor(cli, 'stdout', /reporting to/, 30_000, 'vantage agent to start');
    return { ...cli, metricsUrl };
  } catch (error) {
    cli.child.kill('SIGKILL');
    throw error;
  }
}

export async function waitFor(
  cli: CliProcess,
  stream: 'stdout' | 'stderr',
  pattern: RegExp,
  timeoutMs: number,
  what: string,
): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(cli[stream]());
    if (match) return match;
    const { exitCode, signalCode } = cli.child;
    if (exitCode !== null || signalCode !== null) {
      throw new Error(
        `waiting for ${what}: it exited (${signalCode ?? exitCode}):\n${cli.stderr().slice(-2000)}`,
      );
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}:\n${cli.stderr().slice(-2000)}`);
    await sleep(20);
  }
}

/** SIGTERM, then SIGKILL if it has not exited within 15 s; a process already gone is left alone. */
export async function stopProcess(cli: CliProcess, children: Set<ChildProcess>): Promise<void> {
  const { child } = cli;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  children.delete(child);
}

/** Samples a child's CPU and RSS, and this process's CPU, every half second. */
export function startSampler(pid: number) {
  const samples: { at: number; server: number; bench: number; rss: number }[] = [];
  const take = () => {
    try {
      const { cpu, rss } = procStats(pid);
      const own = process.cpuUsage();
      samples.push({
        at: performance.now(),
        server: cpu / TICKS_PER_SECOND,
        bench: (own.user + own.system) / 1e6,
        rss,
      });
    } catch {
      // the process has gone; the samples so far stand
    }
  };
  take();
  const timer = setInterval(take, 500);
  return {
    stop: () => clearInterval(timer),
    /** CPU in cores (1 = one core busy) of the server and of this process, and the server's peak RSS. */
    between(from: number, to: number) {
      take();
      const inside = samples.filter((s) => s.at >= from - 250 && s.at <= to + 250);
      const first = inside[0];
      const last = inside.at(-1);
      const span = first && last ? (last.at - first.at) / 1000 : Number.NaN;
      return {
        serverCpu: first && last ? (last.server - first.server) / span : Number.NaN,
        benchCpu: first && last ? (last.bench - first.bench) / span : Number.NaN,
        serverPeakRss: Math.max(...inside.map((s) => s.rss)),
      };
    },
  };
}

/** A small HTTP server for the agents' checks to probe, in this process. */
export async function startTarget(): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>Sign in</title><p>Sign in</p>\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** One GET on its own connection, so no kept-alive socket outlives the process it went to. */
export function request(url: URL, timeoutMs = 10_000): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.once('timeout', () => req.destroy(new Error(`no answer from ${url} in ${timeoutMs} ms`)));
    req.once('error', reject);
    req.end();
  });
}

export async function getText(url: URL): Promise<string> {
  const answer = await request(url);
  if (answer.status !== 200) throw new Error(`GET ${url} answered ${answer.status}`);
  return answer.text;
}

export function gauge(metrics: string, name: string): number {
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN);
}

export const fmt = (value: number) => Math.round(value).toLocaleString('en-GB');
export const ms = (value: number) => (value < 10 ? value.toFixed(1) : String(Math.round(value)));
export const pct = (cores: number) => `${(cores * 100).toFixed(0)}%`;
export const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
