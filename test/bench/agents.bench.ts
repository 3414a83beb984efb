import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { Outbox } from '../../agent/outbox.js';
import { issueToken } from '../../server/agents/tokens.js';
import { AGENT_API, pushedResult } from '../../server/agents/wire.js';
import { formatConfigError, loadEstateFile } from '../../server/config/load.js';
import type { RunRecord } from '../../server/results/record.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { cliPath } from './processes.js';

// 1. Ingestion: 200 agents, 10 checks each, pushing batches of 100 over loopback.
const SITES = 200;
const CHECKS_PER_SITE = 10;
const BATCH = 100;
const WARMUP_SECONDS = 2;
const LOAD_SECONDS = Number(process.env.VANTAGE_BENCH_AGENT_LOAD_SECONDS ?? 20);
/** The paced phase: each agent one batch every 2 s, 200 × 100 ÷ 2 = 10,000 results/s offered (half the goal). */
const PACE_MS = 2_000;
const PACED_SECONDS = 10;
const GOAL_PER_SECOND = 20_000;
// 2. One agent with 200 checks every 10 s.
const AGENT_CHECKS = 200;
const AGENT_EVERY_SECONDS = 10;
const AGENT_SECONDS = Number(process.env.VANTAGE_BENCH_AGENT_SECONDS ?? 120);
const AGENT_RSS_GOAL_MB = 80;
// 3. A one-hour backlog of 200 checks a minute.
const BACKLOG_CHECKS = 200;
const BACKLOG_MINUTES = 60;
const BACKLOG = BACKLOG_CHECKS * BACKLOG_MINUTES;

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * Agents at scale, against the real `vantage serve` and `vantage agent` processes on loopback: the
 * server's ingestion through the batch endpoint with 200 agents pushing at once, one agent's memory
 * with 200 checks, and how long a one-hour backlog takes to reach the server once it is back.
 */
export async function benchAgents(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vantage-agents-'));
  const children = new Set<ChildProcess>();
  const kill = () => {
    for (const child of children) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  const target = await startTarget();
  try {
    // VANTAGE_BENCH_AGENT_PARTS=ingestion,memory,backlog runs some of them (all by default).
    const parts = (process.env.VANTAGE_BENCH_AGENT_PARTS ?? 'ingestion,memory,backlog').split(',');
    if (parts.includes('ingestion')) await benchIngestion(dir, children);
    if (parts.includes('memory')) await benchAgentMemory(dir, children, target.port);
    if (parts.includes('backlog')) await benchBacklog(dir, children, target.port);
  } finally {
    kill();
    process.off('exit', kill);
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- 1. ingestion -----------------------------------------------------------------------------------

interface SimulatedAgent {
  site: string;
  token: string;
  checks: string[];
  agent: http.Agent;
  /** Results pushed so far per check: each result starts a second before the last, so none repeats. */
  pushed: number;
}

interface BatchSample {
  endedAt: number;
  ms: number;
  stored: number;
  duplicates: number;
}

interface LoadWindow {
  samples: BatchSample[];
  problems: string[];
}

async function benchIngestion(dir: string, children: Set<ChildProcess>): Promise<void> {
  const config = join(dir, 'ingest.yaml');
  const dbFile = join(dir, 'ingest.db');
  const sites = Array.from({ length: SITES }, (_, s) => `site-${s}`);
  const checksOf = (s: number) => Array.from({ length: CHECKS_PER_SITE }, (_, k) => `c-${s}-${k}`);
  writeFileSync(
    config,
    estateYaml(
      sites,
      sites.flatMap((site, s) => checksOf(s).map((id) => ({ id, site, target: 'http://127.0.0.1:1/' }))),
      '1m',
    ),
  );
  const tokens = await prepareDatabase(dbFile, config, sites);
  console.log(
    `${SITES} agents (one per site, ${CHECKS_PER_SITE} checks each, ${(SITES * CHECKS_PER_SITE).toLocaleString('en-GB')} checks) pushing gzipped batches of ${BATCH} results to vantage serve on 127.0.0.1`,
  );

  const serve = await startServe(children, config, dbFile);
  const url = new URL(`${AGENT_API}/results`, serve.url);
  const agents: SimulatedAgent[] = sites.map((site, s) => ({
    site,
    token: tokens.get(site) as string,
    checks: checksOf(s),
    agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
    pushed: 0,
  }));
  const origin = Math.floor(Date.now() / 1000) * 1000;
  const sampler = startSampler(serve.child.pid as number);
  try {
    // Closed loop: every agent sends its next batch as soon as the last is answered.
    const start = performance.now();
    const measureFrom = start + WARMUP_SECONDS * 1000;
    const measureTo = measureFrom + LOAD_SECONDS * 1000;
    const saturated = await drive(agents, url, origin, measureTo, undefined);
    const closed = windowOf(saturated, measureFrom, measureTo);
    const usage = sampler.between(measureFrom, measureTo);

    // Paced: one batch a second from each agent, started at random points of the second.
    const pacedFrom = performance.now() + 1_000;
    const pacedTo = pacedFrom + PACED_SECONDS * 1000;
    const paced = windowOf(await drive(agents, url, origin, pacedTo, PACE_MS), pacedFrom, pacedTo);
    const pacedUsage = sampler.between(pacedFrom, pacedTo);
    sampler.stop();
    const hwm = procStats(serve.child.pid as number).hwm;
    await stopProcess(serve, children);

    const store = new Database(dbFile, { readonly: true });
    const rows = store.prepare('SELECT count(*) FROM results').pluck().get() as number;
    store.close();
    const rate = closed.stored / LOAD_SECONDS;
    row(
      `ingestion, ${SITES} agents pushing at once`,
      `${fmt(rate)} results/s (${fmt(closed.batches)} batches in ${LOAD_SECONDS} s)`,
      `at least ${fmt(GOAL_PER_SECOND)}/s`,
      rate >= GOAL_PER_SECOND,
    );
    row(
      '  batch latency, closed loop',
      `p50 ${ms(closed.p50)} ms, p99 ${ms(closed.p99)} ms, max ${ms(closed.max)} ms`,
    );
    console.log(
      `    (closed loop: ${SITES} batches always in flight, so latency ≈ ${SITES} ÷ batches answered per second)`,
    );
    row('  server CPU', `${pct(usage.serverCpu)} of one core`);
    row('  server RSS', `peak ${mb(usage.serverPeakRss)} sampled, VmHWM ${mb(hwm)} over its life`);
    row('  load generator (this process) CPU', `${pct(usage.benchCpu)} of one core`);
    console.log(`    ${cpuNote(usage.serverCpu, usage.benchCpu)}`);

    const pacedRate = paced.stored / PACED_SECONDS;
    const offered = (SITES * BATCH * 1000) / PACE_MS;
    row(
      `paced, a batch every ${PACE_MS / 1000} s per agent (${fmt(offered)}/s)`,
      `${fmt(pacedRate)} results/s stored`,
      `${fmt(offered)}/s kept up`,
      pacedRate >= 0.95 * offered,
    );
    row(
      '  batch latency at that load',
      `p50 ${ms(paced.p50)} ms, p99 ${ms(paced.p99)} ms, max ${ms(paced.max)} ms`,
    );
    row(
      '  CPU at that load',
      `server ${pct(pacedUsage.serverCpu)}, load generator ${pct(pacedUsage.benchCpu)} of one core`,
    );

    const storedTotal = closed.allStored + paced.allStored;
    const duplicates = closed.allDuplicates + paced.allDuplicates;
    const problems = [...closed.problems, ...paced.problems];
    row(
      '  stored as answered, no duplicates',
      `${fmt(rows)} rows in the database, answers said ${fmt(storedTotal)}; ${duplicates} duplicates, ${problems.length} failed batches`,
      'equal, 0, 0',
      rows === storedTotal && duplicates === 0 && problems.length === 0,
    );
    if (problems.length > 0) console.log(`    first failure: ${problems[0]}`);
  } finally {
    sampler.stop();
    for (const agent of agents) agent.agent.destroy();
    await stopProcess(serve, children);
  }
}

/** Every agent pushes batches until `until` (performance.now()), back to back or one per `paceMs`. */
async function drive(
  agents: SimulatedAgent[],
  url: URL,
  origin: number,
  until: number,
  paceMs: number | undefined,
): Promise<LoadWindow> {
  const samples: BatchSample[] = [];
  const problems: string[] = [];
  await Promise.all(
    agents.map(async (agent) => {
      let nextAt = performance.now() + (paceMs === undefined ? 0 : Math.random() * paceMs);
      for (;;) {
        if (paceMs !== undefined) {
          const wait = nextAt - performance.now();
          if (wait > 0) await sleep(wait);
          nextAt += paceMs;
        }
        if (performance.now() >= until) return;
        const body = gzipSync(JSON.stringify({ results: batchOf(agent, origin) }));
        const started = performance.now();
        try {
          const answer = await post(agent.agent, url, agent.token, body);
          const endedAt = performance.now();
          if (answer.status !== 200) {
            problems.push(`${agent.site}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
            if (problems.length > 1_000) return;
            continue;
          }
          const parsed = JSON.parse(answer.text) as { stored: number; duplicates: number };
          samples.push({
            endedAt,
            ms: endedAt - started,
            stored: parsed.stored,
            duplicates: parsed.duplicates,
          });
        } catch (error) {
          problems.push(`${agent.site}: ${(error as Error).message}`);
          if (problems.length > 1_000) return;
        }
      }
    }),
  );
  return { samples, problems };
}

/** The next batch of an agent: a result of each of its checks per second, going back from `origin`. */
function batchOf(agent: SimulatedAgent, origin: number): unknown[] {
  const results: unknown[] = [];
  const rounds = BATCH / agent.checks.length;
  for (let r = 0; r < rounds; r++) {
    agent.pushed += 1;
    const startedAt = origin - agent.pushed * 1000;
    for (const checkId of agent.checks) {
      results.push(pushedResult(randomUUID(), runRecord(checkId, agent.site, startedAt, agent.pushed)));
    }
  }
  return results;
}

function windowOf(load: LoadWindow, from: number, to: number) {
  const inside = load.samples.filter((s) => s.endedAt >= from && s.endedAt <= to);
  const latencies = inside.map((s) => s.ms).sort((a, b) => a - b);
  const quantile = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    batches: inside.length,
    stored: inside.reduce((sum, s) => sum + s.stored, 0),
    p50: quantile(0.5),
    p99: quantile(0.99),
    max: latencies.at(-1) ?? Number.NaN,
    allStored: load.samples.reduce((sum, s) => sum + s.stored, 0),
    allDuplicates: load.samples.reduce((sum, s) => sum + s.duplicates, 0),
    problems: load.problems,
  };
}

function cpuNote(server: number, bench: number): string {
  const machine = server + bench;
  if (bench >= 0.85) {
    return `NOTE: the load generator used ${pct(bench)} of a core: it, not the server, may be what limits the rate`;
  }
  if (machine >= 1.7) {
    return `NOTE: server and load generator together used ${pct(machine)} of the 2 cores: the machine is saturated, so the rate is a lower bound`;
  }
  return `server and load generator together used ${pct(machine)} of the 2 cores`;
}

function post(
  agent: http.Agent,
  url: URL,
  token: string,
  body: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          'Content-Type': 'application/json',
          'Content-Encoding': 'gzip',
          'Content-Length': String(body.length),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error('no answer within 60 s')));
    req.on('error', reject);
    req.end(body);
  });
}

// --- 2. agent memory ----------------------------------------------------------------------------

async function benchAgentMemory(dir: string, children: Set<ChildProcess>, targetPort: number): Promise<void> {
  const config = join(dir, 'memory.yaml');
  const dbFile = join(dir, 'memory.db');
  const site = 'site-a';
  const checks = Array.from({ length: AGENT_CHECKS }, (_, i) => ({
    id: `a-${i}`,
    site,
    target: `http://127.0.0.1:${targetPort}/a/${i}`,
  }));
  writeFileSync(config, estateYaml([site], checks, `${AGENT_EVERY_SECONDS}s`));
  const token = (await prepareDatabase(dbFile, config, [site])).get(site) as string;
  console.log(
    `\none vantage agent with ${AGENT_CHECKS} http checks every ${AGENT_EVERY_SECONDS} s against a local server, for ${AGENT_SECONDS} s`,
  );
  const serve = await startServe(children, config, dbFile);
  const agent = await startAgent(children, serve.url, token, join(dir, 'memory-outbox.db'));
  try {
    const pid = agent.child.pid as number;
    const startedAt = Date.now();
    const first = procStats(pid);
    const samples: number[] = [];
    const endAt = startedAt + AGENT_SECONDS * 1000;
    while (Date.now() < endAt) {
      await sleep(Math.min(1_000, endAt - Date.now()));
      if (agent.child.exitCode !== null)
        throw new Error(`the agent exited early:\n${agent.stderr().slice(-2000)}`);
      samples.push(procStats(pid).rss);
    }
    const last = procStats(pid);
    const seconds = (Date.now() - startedAt) / 1000;
    const metrics = await getText(new URL('/metrics', agent.metricsUrl));
    await stopProcess(agent, children);
    await stopProcess(serve, children);

    const store = new Database(dbFile, { readonly: true });
    const stored = store.prepare('SELECT count(*) FROM results').pluck().get() as number;
    store.close();
    const peak = Math.max(...samples);
    const cpu = (last.cpu - first.cpu) / TICKS_PER_SECOND / seconds;
    row(
      `agent peak RSS, ${AGENT_CHECKS} checks`,
      `${mb(Math.max(peak, last.hwm))} (sampled each second ${mb(peak)}, VmHWM ${mb(last.hwm)})`,
      `at most ${AGENT_RSS_GOAL_MB} MB`,
      Math.max(peak, last.hwm) / 1024 <= AGENT_RSS_GOAL_MB,
    );
    row('  agent RSS at the end', mb(samples.at(-1) ?? last.rss));
    row('  agent CPU', `${pct(cpu)} of one core`);
    const depth = gauge(metrics, 'vantage_agent_outbox_depth');
    row(
      '  results stored by the server',
      `${fmt(stored)} (${fmt((AGENT_CHECKS * seconds) / AGENT_EVERY_SECONDS)} runs planned; outbox ${depth} waiting at the end)`,
    );
  } finally {
    await stopProcess(agent, children);
    await stopProcess(serve, children);
  }
}

// --- 3. backlog ---------------------------------------------------------------------------------

async function benchBacklog(dir: string, children: Set<ChildProcess>, targetPort: number): Promise<void> {
  const config = join(dir, 'backlog.yaml');
  const dbFile = join(dir, 'backlog.db');
  const outboxFile = join(dir, 'backlog-outbox.db');
  const site = 'site-b';
  const checks = Array.from({ length: BACKLOG_CHECKS }, (_, i) => ({
    id: `b-${i}`,
    site,
    target: `http://127.0.0.1:${targetPort}/b/${i}`,
  }));
  writeFileSync(config, estateYaml([site], checks, '1m'));
  const token = (await prepareDatabase(dbFile, config, [site])).get(site) as string;

  // The hour the server was away: each check ran once a minute, at its own second.
  const builtAt = Date.now();
  const firstMinute = Math.floor(builtAt / 60_000) * 60_000 - BACKLOG_MINUTES * 60_000;
  const writeStarted = performance.now();
  const outbox = Outbox.open(outboxFile);
  try {
    for (let m = 0; m < BACKLOG_MINUTES; m++) {
      for (let i = 0; i < BACKLOG_CHECKS; i++) {
        const at = firstMinute + m * 60_000 + ((i * 7) % 60) * 1000;
        const id = randomUUID();
        outbox.add({
          id,
          at,
          payload: pushedResult(id, runRecord(`b-${i}`, site, at, m * BACKLOG_CHECKS + i)),
        });
      }
    }
    if (outbox.depth() !== BACKLOG)
      throw new Error(`the outbox holds ${outbox.depth()} results, not ${BACKLOG}`);
  } finally {
    outbox.close();
  }
  const windowFrom = firstMinute;
  const windowTo = firstMinute + BACKLOG_MINUTES * 60_000;
  console.log(
    `\na one-hour backlog: ${fmt(BACKLOG)} results of ${BACKLOG_CHECKS} checks a minute written to an outbox in ${((performance.now() - writeStarted) / 1000).toFixed(1)} s (${(statSync(outboxFile).size / 1e6).toFixed(1)} MB); then the server, then vantage agent on it`,
  );

  const serve = await startServe(children, config, dbFile);
  const db = new Database(dbFile, { readonly: true });
  const countBacklog = db
    .prepare(
      `SELECT count(*) FROM results r JOIN checks c ON c.key = r.check_key
       WHERE r.vp = (SELECT key FROM sites WHERE id = ?) AND r.at >= ? AND r.at < ?`,
    )
    .pluck();
  const spawnedAt = performance.now();
  const agent = await startAgent(children, serve.url, token, outboxFile).catch(async (error: unknown) => {
    db.close();
    await stopProcess(serve, children);
    throw error;
  });
  try {
    const announcedAt = performance.now();
    let emptyAt: number | undefined;
    let storedAt: number | undefined;
    let stored = 0;
    const deadline = spawnedAt + 120_000;
    while (performance.now() < deadline && (emptyAt === undefined || storedAt === undefined)) {
      if (emptyAt === undefined) {
        const depth = gauge(
          await getText(new URL('/metrics', agent.metricsUrl)),
          'vantage_agent_outbox_depth',
        );
        if (depth === 0) emptyAt = performance.now();
      }
      if (storedAt === undefined) {
        stored = countBacklog.get(site, windowFrom, windowTo) as number;
        if (stored >= BACKLOG) storedAt = performance.now();
      }
      await sleep(50);
    }
    await stopProcess(agent, children);
    await stopProcess(serve, children);
    stored = countBacklog.get(site, windowFrom, windowTo) as number;
    const fresh = db.prepare('SELECT count(*) FROM results WHERE at >= ?').pluck().get(windowTo) as number;
    db.close();
    const left = new Database(outboxFile, { readonly: true });
    const waiting = left.prepare('SELECT count(*) FROM outbox WHERE at < ?').pluck().get(windowTo) as number;
    left.close();

    const drained = storedAt === undefined ? undefined : (storedAt - spawnedAt) / 1000;
    row(
      `drain ${fmt(BACKLOG)} results to the server`,
      drained === undefined
        ? `only ${fmt(stored)} stored after 120 s`
        : `${drained.toFixed(1)} s from agent start (${fmt(BACKLOG / drained)} results/s)`,
    );
    console.log(
      `    agent announced itself ${((announcedAt - spawnedAt) / 1000).toFixed(1)} s after spawn; /metrics showed the outbox empty ${emptyAt === undefined ? 'never' : `${((emptyAt - spawnedAt) / 1000).toFixed(1)} s`} after spawn; the agent sends backlog at most 5,000 results/s by design`,
    );
    row(
      '  backlog stored exactly once',
      `${fmt(stored)} of ${fmt(BACKLOG)} stored, ${waiting} still in the outbox (+${fresh} fresh runs meanwhile)`,
      `exactly ${fmt(BACKLOG)}, none left`,
      stored === BACKLOG && waiting === 0,
    );
  } finally {
    if (db.open) db.close();
    await stopProcess(agent, children);
    await stopProcess(serve, children);
  }
}

// --- shared -------------------------------------------------------------------------------------

interface CheckSpec {
  id: string;
  site: string;
  target: string;
}

function estateYaml(sites: string[], checks: CheckSpec[], every: string): string {
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
async function prepareDatabase(
  dbFile: string,
  config: string,
  sites: string[],
): Promise<Map<string, string>> {
  const loaded = loadEstateFile(config, process.env);
  if (!loaded.ok) throw new Error(loaded.errors.map(formatConfigError).join('\n'));
  const store = SqliteStore.open(dbFile);
  try {
    await store.syncEstate(loaded.estate, Date.now());
    const tokens = new Map<string, string>();
    for (const site of sites) {
      const issued = issueToken();
      await store.addToken({
        id: issued.id,
        site,
        secretHash: issued.secretHash,
        label: 'bench',
        createdAt: Date.now(),
      });
      tokens.set(site, issued.token);
    }
    return tokens;
  } finally {
    await store.close();
  }
}

/** A run as an https probe would give it: mostly ok, some slow, one in 97 timed out. */
function runRecord(checkId: string, site: string, startedAt: number, n: number): RunRecord {
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

interface Cli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
}

function spawnCli(children: Set<ChildProcess>, args: string[]): Cli {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stdout = '';
  let stderr = '';
  // Only the tail is kept: a busy server may log a lot.
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout = (stdout + chunk.toString()).slice(-65_536);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-65_536);
  });
  return { child, stdout: () => stdout, stderr: () => stderr };
}

async function startServe(children: Set<ChildProcess>, config: string, dbFile: string) {
  const cli = spawnCli(children, ['serve', '--config', config, '--db', dbFile, '--port', '0']);
  try {
    const url = (
      await waitFor(cli, 'stdout', /running at (http:\/\/\S+)/, 60_000, 'vantage serve to start')
    )[1] as string;
    const deadline = Date.now() + 30_000;
    while ((await getStatus(new URL('/readyz', url))) !== 200) {
      if (Date.now() > deadline) throw new Error('vantage serve did not answer /readyz with 200 within 30 s');
      await sleep(50);
    }
    return { ...cli, url };
  } catch (error) {
    cli.child.kill('SIGKILL');
    throw error;
  }
}

async function startAgent(children: Set<ChildProcess>, server: string, token: string, outbox: string) {
  const cli = spawnCli(children, [
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

async function waitFor(
  cli: Cli,
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
async function stopProcess(cli: Cli, children: Set<ChildProcess>): Promise<void> {
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

/** utime + stime (ticks), RSS and its high-water mark (kB) of a process, from /proc. */
function procStats(pid: number): { cpu: number; rss: number; hwm: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { cpu: Number(fields[11]) + Number(fields[12]), rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Samples a child's CPU and RSS, and this process's CPU, every half second. */
function startSampler(pid: number) {
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
async function startTarget(): Promise<{ port: number; close(): Promise<void> }> {
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
function request(url: URL, timeoutMs = 10_000): Promise<{ status: number; text: string }> {
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

async function getStatus(url: URL): Promise<number> {
  try {
    return (await request(url)).status;
  } catch {
    return 0;
  }
}

async function getText(url: URL): Promise<string> {
  const answer = await request(url);
  if (answer.status !== 200) throw new Error(`GET ${url} answered ${answer.status}`);
  return answer.text;
}

function gauge(metrics: string, name: string): number {
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN);
}

function row(label: string, value: string, goal?: string, met?: boolean): void {
  const verdict = goal === undefined ? '(no goal)' : `goal ${goal.padEnd(26)} ${met ? 'OK' : 'MISSED'}`;
  console.log(`${label.padEnd(44)} ${value.padEnd(60)} ${verdict}`);
}

const fmt = (value: number) => Math.round(value).toLocaleString('en-GB');
const ms = (value: number) => (value < 10 ? value.toFixed(1) : String(Math.round(value)));
const pct = (cores: number) => `${(cores * 100).toFixed(0)}%`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
