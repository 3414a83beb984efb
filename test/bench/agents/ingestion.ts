import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { AGENT_API, pushedResult } from '../../../runs/agent-wire.js';
import { procStats, row, sleep } from '../processes.js';
import {
  estateYaml,
  fmt,
  mb,
  ms,
  pct,
  prepareDatabase,
  runRecord,
  startSampler,
  startServe,
  stopProcess,
} from './shared.js';

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

export async function benchIngestion(dir: string, children: Set<ChildProcess>): Promise<void> {
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
