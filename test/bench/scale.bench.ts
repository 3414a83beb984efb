import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { everyPlan } from '../../runs/plan.js';
import { apiTokenIn } from '../helpers/as-admin.js';
import { cliPath, procStats, row, sleep, TICKS_PER_SECOND } from './processes.js';

const CHECKS = 10_000;
const MINUTES = Number(process.env.VANTAGE_BENCH_MINUTES ?? 5);

/**
 * 10,000 HTTP checks a minute under `vantage serve` for five minutes against a loopback server in
 * another process: the share of planned runs that happened, scheduler lateness, memory and CPU;
 * then a restart, and the bytes each stored result takes.
 */
export async function benchScale(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vantage-scale-'));
  const children = new Set<ChildProcess>();
  const kill = () => {
    for (const child of children) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  try {
    const target = spawn(process.execPath, ['-e', TARGET_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(target);
    const port = Number(await firstLine(target, 10_000));
    const config = join(dir, 'estate.yaml');
    const db = join(dir, 'vantage.db');
    writeFileSync(config, estateYaml(port));
    console.log(
      `${CHECKS.toLocaleString('en-GB')} http checks every 60 s against 127.0.0.1:${port}, for ${MINUTES} min`,
    );

    const serve = spawn(process.execPath, [cliPath, 'serve', '--config', config, '--db', db, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(serve);
    let stderr = '';
    serve.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const url = (await firstLine(serve, 30_000)).replace(/^.*running at (\S+).*$/, '$1');
    const readyAt = Date.now();
    const pid = serve.pid as number;
    const samples: { at: number; cpu: number; rss: number }[] = [];
    const endAt = readyAt + MINUTES * 60_000;
    while (Date.now() < endAt) {
      await sleep(Math.min(5_000, endAt - Date.now()));
      samples.push({ at: Date.now(), ...procStats(pid) });
    }
    // As Prometheus scrapes it: with an API token (access.public does not list metrics).
    const metrics = await (
      await fetch(new URL('/metrics', url), { headers: await apiTokenIn(db, 'viewer') })
    ).text();
    serve.kill('SIGTERM');
    await exited(serve, 30_000);
    children.delete(serve);

    // Runs planned after the first minute (start-up done) to the end, against those stored.
    const from = readyAt + 60_000;
    const planned = plannedRuns(from, endAt);
    const store = new Database(db, { readonly: true });
    const happened = store
      .prepare('SELECT count(*) FROM results WHERE at >= ? AND at < ? AND state < 3')
      .pluck()
      .get(from, endAt) as number;
    const skipped = store.prepare('SELECT count(*) FROM results WHERE state = 3').pluck().get() as number;
    store.close();
    const steady = samples.filter((s) => s.at >= from);
    const first = steady[0];
    const last = steady.at(-1);
    const cpu =
      first && last && last.at > first.at
        ? (last.cpu - first.cpu) / TICKS_PER_SECOND / ((last.at - first.at) / 1000)
        : Number.NaN;
    const rss = Math.max(...samples.map((s) => s.rss));
    const p99 = histogramQuantile(metrics, 'vantage_scheduler_lateness_seconds', 0.99);
    row(
      'planned runs that happened',
      `${((100 * happened) / planned).toFixed(2)}%  (${happened} of ${planned}; ${skipped} skipped)`,
      'at least 99.5%',
      happened / planned >= 0.995,
    );
    row('scheduler lateness p99', `≤ ${p99} s (histogram bucket)`, 'at most 1 s', p99 <= 1);
    row('peak RSS', `${(rss / 1024).toFixed(0)} MB`, 'at most 250 MB', rss / 1024 <= 250);
    row('CPU, steady state', `${(cpu * 100).toFixed(1)}% of one core`, 'at most 30%', cpu <= 0.3);
    if (stderr.includes(' error '))
      console.log(
        `server errors:\n${stderr
          .split('\n')
          .filter((l) => l.includes(' error '))
          .slice(0, 5)
          .join('\n')}`,
      );

    // Restart: how long until every check has run again.
    const spawnedAt = Date.now();
    const again = spawn(process.execPath, [cliPath, 'serve', '--config', config, '--db', db, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.add(again);
    await firstLine(again, 30_000);
    const upAt = Date.now();
    const probe = new Database(db, { readonly: true });
    const ranSince = probe
      .prepare('SELECT count(DISTINCT check_key) FROM latest_results WHERE at >= ?')
      .pluck();
    let ranAgain = 0;
    let lastAt = upAt;
    while (Date.now() - upAt < 150_000) {
      await sleep(500);
      ranAgain = ranSince.get(upAt) as number;
      lastAt = Date.now();
      if (ranAgain >= CHECKS) break;
    }
    probe.close();
    // Results reach the database up to a second after they run (the writer batches), hence the allowance.
    const recovered = (lastAt - upAt) / 1000;
    row(
      'every check running again after a restart',
      ranAgain >= CHECKS
        ? `${recovered.toFixed(1)} s after ready (ready ${((upAt - spawnedAt) / 1000).toFixed(1)} s after start)`
        : `only ${ranAgain} after ${recovered.toFixed(0)} s`,
      'within one interval (60 s)',
      ranAgain >= CHECKS && recovered <= 61.5,
    );
    again.kill('SIGTERM');
    await exited(again, 30_000);
    children.delete(again);

    reportStorage(db);
  } finally {
    kill();
    process.off('exit', kill);
    rmSync(dir, { recursive: true, force: true });
  }
}

const TARGET_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('Sign in\\n'); });
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
setTimeout(() => process.exit(0), 20 * 60_000).unref();
`;

function estateYaml(port: number): string {
  const lines = [
    'organisations:',
    '  - { id: icb, name: Integrated Care Board, kind: commissioner }',
    'systems:',
  ];
  for (let s = 0; s < 40; s++) lines.push(`  - { id: sys-${s}, name: System ${s}, owner: icb }`);
  lines.push('checks:');
  for (let i = 0; i < CHECKS; i++) {
    lines.push(
      `  - { id: check-${i}, system: sys-${i % 40}, type: http, target: "http://127.0.0.1:${port}/c/${i}", every: 1m, timeout: 10s }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function plannedRuns(from: number, to: number): number {
  let count = 0;
  for (let i = 0; i < CHECKS; i++) {
    const plan = everyPlan(`check-${i}`, 60_000);
    for (let t = plan(from - 1); t < to; t = plan(t)) count += 1;
  }
  return count;
}

/** The upper bound of the bucket holding the q-quantile of a Prometheus histogram. */
function histogramQuantile(text: string, name: string, q: number): number {
  const buckets = [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)$`, 'gm'))].map(
    (m) => ({
      le: m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]),
      count: Number(m[2]),
    }),
  );
  const total = buckets.at(-1)?.count ?? 0;
  return buckets.find((b) => b.count >= q * total)?.le ?? Number.NaN;
}

function reportStorage(db: string): void {
  const store = new Database(db, { readonly: true });
  const size = (table: string) =>
    store.prepare('SELECT sum(pgsize) FROM dbstat WHERE name = ?').pluck().get(table) as number;
  const rows = (table: string) => store.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const perResult = size('results') / rows('results');
  const perHourly = size('rollups_hourly') / rows('rollups_hourly');
  const perDaily = size('rollups_daily') / rows('rollups_daily');
  store.close();
  // A year at 10,000 runs a minute: 35 days of raw rows, 365 days of hourly and daily rollups.
  const raw = 35 * 1440 * CHECKS * perResult;
  const hourly = 365 * 24 * CHECKS * perHourly;
  const daily = 365 * CHECKS * perDaily;
  row('bytes per raw result on disk', `${perResult.toFixed(1)} B`, 'at most 60 B', perResult <= 60);
  console.log(
    `  rollup rows: hourly ${perHourly.toFixed(0)} B, daily ${perDaily.toFixed(0)} B (measured after ${MINUTES} min; full hours and days hold more buckets)`,
  );
  console.log(
    `  projected size after one year, default retention: ${((raw + hourly + daily) / 1e9).toFixed(1)} GB (raw ${(raw / 1e9).toFixed(1)}, hourly ${(hourly / 1e9).toFixed(1)}, daily ${(daily / 1e9).toFixed(2)})`,
  );
}

function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no output within ${timeoutMs} ms`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split('\n')[0];
      if (text.includes('\n') && line !== undefined) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
  });
}

function exited(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => reject(new Error('did not exit in time')), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
