import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Outbox } from '../../../agent/outbox.js';
import { pushedResult } from '../../../runs/agent-wire.js';
import { row, sleep } from '../processes.js';
import {
  estateYaml,
  fmt,
  gauge,
  getText,
  prepareDatabase,
  runRecord,
  startAgent,
  startServe,
  stopProcess,
} from './shared.js';

const BACKLOG_CHECKS = 200;
const BACKLOG_MINUTES = 60;
const BACKLOG = BACKLOG_CHECKS * BACKLOG_MINUTES;

// --- 3. backlog ---------------------------------------------------------------------------------

export async function benchBacklog(
  dir: string,
  children: Set<ChildProcess>,
  targetPort: number,
): Promise<void> {
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
