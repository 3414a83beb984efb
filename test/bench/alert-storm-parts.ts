import { type ChildProcess, spawn } from 'node:child_process';
import type Database from 'better-sqlite3';
import { everyPlan, offsetOf } from '../../runs/plan.js';
import { procStats, sleep, TICKS_PER_SECOND } from './processes.js';

export const SYSTEMS = 1_000;
export const ORGANISATIONS = 10;
export const EVERY_MS = 10_000;

/**
 * 1,000 systems of 10 organisations, each system with a check that stays up and one that fails in the
 * storm: each failing system is its owner's incident (the server alone sees it, so it is the owner's),
 * 1,000 in all. Each organisation has one webhook channel, to its own path of the receiver.
 */
export function stormEstate(targetPort: number, receiverUrl: string): string {
  const lines = ['organisations:'];
  for (let o = 0; o < ORGANISATIONS; o++) lines.push(`  - { id: org-${o}, name: Trust ${o}, kind: acute }`);
  lines.push('channels:');
  for (let o = 0; o < ORGANISATIONS; o++)
    lines.push(
      `  - { id: hook-${o}, organisation: org-${o}, type: webhook, url: "${receiverUrl}/hook-${o}" }`,
    );
  lines.push('systems:');
  for (let s = 0; s < SYSTEMS; s++)
    lines.push(`  - { id: sys-${s}, name: System ${s}, owner: org-${s % ORGANISATIONS} }`);
  lines.push('checks:');
  const target = `http://127.0.0.1:${targetPort}`;
  for (let s = 0; s < SYSTEMS; s++) {
    for (const part of ['steady', 'storm'])
      lines.push(
        `  - { id: sys-${s}-${part}, system: sys-${s}, type: http, target: "${target}/${part}/${s}", every: 10s, timeout: 5s }`,
      );
  }
  return `${lines.join('\n')}\n`;
}

// In its own process, so the bench's own work does not slow the answers the probes time.
const TARGET_SERVER = `
const http = require('node:http');
let failing = false;
const server = http.createServer((req, res) => {
  if (req.method === 'POST') { failing = req.url === '/fail'; res.end('ok'); return; }
  const down = failing && req.url.startsWith('/storm/');
  res.writeHead(down ? 503 : 200, { 'content-type': 'text/plain' });
  res.end(down ? 'Service unavailable\\n' : 'Sign in\\n');
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
setTimeout(() => process.exit(0), 40 * 60_000).unref();
`;

export interface Targets {
  port: number;
  /** Every `storm` check's target answers 503 from now on (true), or 200 again (false). */
  failing(yes: boolean): Promise<void>;
  child: ChildProcess;
}

/** The probes' targets, on 127.0.0.1 in a child process. */
export async function startTargets(): Promise<Targets> {
  const child = spawn(process.execPath, ['-e', TARGET_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(Number(text.trim()));
    });
    child.once('exit', (code) => reject(new Error(`the targets exited with ${code}`)));
  });
  return {
    port,
    child,
    failing: async (yes) => {
      const answer = await fetch(`http://127.0.0.1:${port}/${yes ? 'fail' : 'recover'}`, { method: 'POST' });
      await answer.text();
    },
  };
}

export interface Timing {
  at: number;
  what: string;
  ms: number;
  ok: boolean;
}

/**
 * What the dashboard asks while someone watches it, one page after the other with a second between:
 * the Alerts page (its shell, the estate, then open and recent incidents together, as the page does)
 * and the overview (its figures, then the open incidents for "Failing now").
 */
export function watchDashboard(url: string, headers: Record<string, string>) {
  const timings: Timing[] = [];
  let stopped = false;
  const get = async (what: string, path: string) => {
    const started = performance.now();
    let ok = false;
    try {
      const answer = await fetch(new URL(path, url), { headers, signal: AbortSignal.timeout(60_000) });
      await answer.arrayBuffer();
      ok = answer.ok;
    } catch {
      ok = false;
    }
    const ms = performance.now() - started;
    timings.push({ at: Date.now(), what, ms, ok });
    return ms;
  };
  const page = async (what: string, steps: () => Promise<unknown>) => {
    const started = performance.now();
    await steps();
    timings.push({ at: Date.now(), what, ms: performance.now() - started, ok: true });
  };
  const loop = (async () => {
    while (!stopped) {
      await page('Alerts page (shell, estate, incidents)', async () => {
        await get('GET /alerts (the page shell)', '/alerts');
        await get('GET /api/v1/estate', '/api/v1/estate');
        await Promise.all([
          get('GET /api/v1/alerts?state=open&limit=500', '/api/v1/alerts?state=open&limit=500'),
          get('GET /api/v1/alerts?state=all&limit=200', '/api/v1/alerts?state=all&limit=200'),
        ]);
      });
      await page('overview page (figures, open incidents)', async () => {
        await get('GET /api/v1/overview', '/api/v1/overview');
        await get('GET /api/v1/overview/now', '/api/v1/overview/now');
      });
      await sleep(1_000);
    }
  })();
  return {
    timings,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

export interface ProcessSample {
  at: number;
  cpu: number;
  rss: number;
  hwm: number;
}

/** The server's CPU ticks and RSS every second, and its event loop's p99 delay from /metrics every 5 s. */
export function watchServer(pid: number, url: string, headers: Record<string, string>) {
  const samples: ProcessSample[] = [];
  const loopDelay: { at: number; p99: number; max: number }[] = [];
  let stopped = false;
  const sampling = (async () => {
    for (let n = 0; !stopped; n++) {
      try {
        samples.push({ at: Date.now(), ...procStats(pid) });
      } catch {
        return; // the server has exited
      }
      if (n % 5 === 0) {
        try {
          const text = await (await fetch(new URL('/metrics', url), { headers })).text();
          const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
          loopDelay.push({
            at: Date.now(),
            p99: gauge('nodejs_eventloop_lag_p99_seconds') * 1000,
            max: gauge('nodejs_eventloop_lag_max_seconds') * 1000,
          });
        } catch {
          // A scrape that fails is left out; the dashboard's timings show an unanswering server.
        }
      }
      await sleep(1_000);
    }
  })();
  return {
    samples,
    loopDelay,
    stop: async () => {
      stopped = true;
      await sampling;
    },
  };
}

/** CPU as a share of one core between two instants, from the samples nearest inside them. */
export function cpuShare(samples: readonly ProcessSample[], from: number, to: number): number {
  const inside = samples.filter((s) => s.at >= from && s.at <= to);
  const first = inside[0];
  const last = inside.at(-1);
  if (!first || !last || last.at <= first.at) return Number.NaN;
  return (last.cpu - first.cpu) / TICKS_PER_SECOND / ((last.at - first.at) / 1000);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/**
 * From the stored runs between two instants: how late each started after its planned time (the
 * check's fixed offset within its interval), and how many planned runs were stored at all.
 */
export function runsBetween(db: Database.Database, from: number, to: number) {
  const rows = db
    .prepare(
      'SELECT c.id AS id, r.at AS at FROM results r JOIN checks c ON c.key = r.check_key WHERE r.at >= ? AND r.at < ?',
    )
    .all(from, to) as { id: string; at: number }[];
  // From the nearest planned start: a timer may fire a millisecond early, which is not 10 s late.
  const lateness = rows.map(({ id, at }) => {
    const since = (((at - offsetOf(id, EVERY_MS)) % EVERY_MS) + EVERY_MS) % EVERY_MS;
    return since > EVERY_MS / 2 ? since - EVERY_MS : since;
  });
  const ids = db.prepare('SELECT id FROM checks').pluck().all() as string[];
  let planned = 0;
  // Runs planned to start in the window, less the last interval's: those may not be stored yet.
  for (const id of ids) {
    const plan = everyPlan(id, EVERY_MS);
    for (let t = plan(from - 1); t < to - EVERY_MS; t = plan(t)) planned += 1;
  }
  const stored = rows.filter(({ at }) => at < to - EVERY_MS).length;
  return { lateness, planned, stored };
}

/** Polls until `done` gives true, or throws after `limitMs` saying what it waited for. */
export async function waitFor(what: string, limitMs: number, done: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + limitMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting ${limitMs / 1000} s for ${what}`);
    await sleep(250);
  }
  return Date.now();
}
