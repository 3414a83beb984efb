import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { procStats, row, sleep, TICKS_PER_SECOND } from '../processes.js';
import {
  estateYaml,
  fmt,
  gauge,
  getText,
  mb,
  pct,
  prepareDatabase,
  startAgent,
  startServe,
  stopProcess,
} from './shared.js';

const AGENT_CHECKS = 200;
const AGENT_EVERY_SECONDS = 10;
const AGENT_SECONDS = Number(process.env.VANTAGE_BENCH_AGENT_SECONDS ?? 120);
const AGENT_RSS_GOAL_MB = 80;

// --- 2. agent memory ----------------------------------------------------------------------------

export async function benchAgentMemory(
  dir: string,
  children: Set<ChildProcess>,
  targetPort: number,
): Promise<void> {
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
