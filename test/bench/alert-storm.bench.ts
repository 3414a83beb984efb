import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { durationMs } from '../../common/duration.js';
import { apiTokenIn } from '../helpers/as-admin.js';
import { startReceiver } from '../helpers/json-receiver.js';
import {
  cpuShare,
  ORGANISATIONS,
  percentile,
  runsBetween,
  SYSTEMS,
  startTargets,
  stormEstate,
  type Timing,
  waitFor,
  watchDashboard,
  watchServer,
} from './alert-storm-parts.js';
import { serveReady, spawnCli } from './processes.js';

/** The issue's 5 minutes; `BENCH_OUTAGE=30s` for a quick run. */
const OUTAGE_MS = durationMs(process.env.BENCH_OUTAGE ?? '5m');
/** Quiet running before the storm: every check has run a few times, and the dashboard is timed at rest. */
const QUIET_MS = 40_000;

interface Accepted {
  key: string;
  channel: string;
  at: number;
}

/**
 * `vantage serve` with 2,000 http checks every 10 s, 1,000 of whose systems start failing at once:
 * 1,000 incidents open while every channel's receiver answers 503, and it comes back after the outage.
 * Every message must reach it once it is back (none lost, repeats dropped by their key, in order per
 * channel), while the probes keep time and the dashboard answers. Then the checks recover, and the
 * 1,000 resolved messages go too.
 */
export async function benchAlertStorm(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vantage-alert-storm-'));
  const targets = await startTargets();
  let down = false;
  const accepted: Accepted[] = [];
  let refused = 0;
  const receiver = await startReceiver((request) => {
    if (down) {
      refused += 1;
      return { status: 503 };
    }
    accepted.push({ key: request.key, channel: request.path.slice(1), at: Date.now() });
    return { status: 200 };
  });
  const config = join(dir, 'estate.yaml');
  const dbFile = join(dir, 'vantage.db');
  writeFileSync(config, stormEstate(targets.port, receiver.url));
  const serve = spawnCli(['serve', '--config', config, '--db', dbFile, '--port', '0'], 20_000);
  let db: Database.Database | undefined;
  try {
    const started = performance.now();
    const url = await serveReady(serve, started + 60_000, 60_000);
    const headers = await apiTokenIn(dbFile, 'admin');
    db = new Database(dbFile, { readonly: true });
    const read = db;
    const count = (sql: string, ...args: unknown[]) =>
      read
        .prepare(sql)
        .pluck()
        .get(...args) as number;
    const server = watchServer(serve.child.pid as number, url, headers);
    const dashboard = watchDashboard(url, headers);
    console.log(
      `${(SYSTEMS * 2).toLocaleString('en-GB')} http checks every 10 s (${SYSTEMS.toLocaleString('en-GB')} systems of ${ORGANISATIONS} organisations, a webhook channel each), receiver down ${OUTAGE_MS / 1000} s after the first incident opens`,
    );
    const readyAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));

    // The storm: half the checks fail from now, and the receiver refuses everything.
    down = true;
    await targets.failing(true);
    const stormAt = Date.now();
    const openCount = () =>
      count("SELECT count(*) FROM incidents WHERE resolved_at IS NULL AND rule = 'consecutive-failures'");
    const firstOpen = await waitFor('the first incident', 120_000, () => openCount() > 0);
    const allOpen = await waitFor(`${SYSTEMS} incidents open`, 180_000, () => openCount() >= SYSTEMS);
    const backAt = Math.max(firstOpen + OUTAGE_MS, Date.now());
    await new Promise((resolve) => setTimeout(resolve, backAt - Date.now()));
    down = false;
    const refusedWhileDown = refused;
    const stored = () => count('SELECT count(*) FROM notifications');
    const drained = await waitFor('every opened message delivered', 15 * 60_000, () => {
      const keys = new Set(accepted.map((a) => a.key));
      return stored() >= SYSTEMS && keys.size >= stored();
    });

    // The checks recover: 1,000 resolved messages, with the receiver up.
    await targets.failing(false);
    const recoverAt = Date.now();
    const allResolved = await waitFor('every incident resolved', 180_000, () => openCount() === 0);
    const resolvedDelivered = await waitFor('every resolved message delivered', 180_000, () => {
      const keys = new Set(accepted.map((a) => a.key));
      return stored() >= 2 * SYSTEMS && keys.size >= stored();
    });
    await dashboard.stop();
    await server.stop();
    const hwm = server.samples.at(-1);
    serve.child.kill('SIGTERM');
    await serve.exited;

    const opened = read
      .prepare(
        "SELECT min(opened_at) AS first, max(opened_at) AS last, count(*) AS n FROM incidents WHERE rule = 'consecutive-failures'",
      )
      .get() as { first: number; last: number; n: number };
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `\nincidents opened            ${opened.n}, the first ${s(opened.first - stormAt)} after the checks began failing (the third failing run), the last ${s(opened.last - stormAt)}: all ${SYSTEMS} within ${s(opened.last - opened.first)} of the first (seen by polling at ${s(allOpen - stormAt)})`,
    );
    reportMessages(read, accepted, refusedWhileDown, backAt, drained, firstOpen);
    console.log(
      `resolved                    every incident ${s(allResolved - recoverAt)} after the checks recovered; their messages delivered ${s(resolvedDelivered - recoverAt)} after`,
    );

    const quiet = runsBetween(read, readyAt + 15_000, stormAt);
    const storm = runsBetween(read, stormAt, drained);
    const late = (runs: ReturnType<typeof runsBetween>) =>
      `p50 ${percentile(runs.lateness, 50)} ms, p99 ${percentile(runs.lateness, 99)} ms, max ${Math.max(...runs.lateness)} ms, earliest ${Math.min(...runs.lateness)} ms; ${runs.stored} of ${runs.planned} planned runs stored`;
    console.log(`probe lateness, quiet       ${late(quiet)}`);
    console.log(
      `probe lateness, storm       ${late(storm)} (from the checks failing to the last message delivered)`,
    );

    const during = (from: number, to: number) => server.loopDelay.filter((d) => d.at > from && d.at <= to);
    const delay = (points: { p99: number; max: number }[]) =>
      `p99 ${percentile(
        points.map((p) => p.p99),
        50,
      ).toFixed(
        1,
      )} ms typical, ${Math.max(...points.map((p) => p.p99)).toFixed(1)} ms worst; max ${Math.max(...points.map((p) => p.max)).toFixed(0)} ms (prom-client, per 5 s scrape)`;
    console.log(`event-loop delay, quiet     ${delay(during(readyAt + 15_000, stormAt))}`);
    console.log(`event-loop delay, storm     ${delay(during(stormAt, drained))}`);

    reportDashboard(dashboard.timings, readyAt, stormAt, drained);

    const cpu = (from: number, to: number) => `${(cpuShare(server.samples, from, to) * 100).toFixed(0)}%`;
    console.log(
      `server CPU (of one core)    quiet ${cpu(readyAt + 15_000, stormAt)}, incidents opening ${cpu(stormAt, allOpen)}, outage ${cpu(allOpen, backAt)}, draining ${cpu(backAt, drained)}, recovering ${cpu(recoverAt, resolvedDelivered)}`,
    );
    const peak = Math.max(...server.samples.map((x) => x.rss));
    console.log(
      `server RSS                  peak ${(peak / 1024).toFixed(0)} MB sampled, high-water ${((hwm?.hwm ?? Number.NaN) / 1024).toFixed(0)} MB`,
    );
    const lost = count('SELECT count(*) FROM notifications') - new Set(accepted.map((a) => a.key)).size;
    if (lost !== 0) throw new Error(`${lost} message(s) stored but never delivered`);
  } finally {
    db?.close();
    if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
    targets.child.kill('SIGKILL');
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function reportMessages(
  db: Database.Database,
  accepted: readonly Accepted[],
  refusedWhileDown: number,
  backAt: number,
  drained: number,
  firstOpen: number,
): void {
  const rows = db
    .prepare('SELECT id, channel, idempotency_key AS key, state, attempts FROM notifications ORDER BY id')
    .all() as { id: number; channel: string; key: string; state: string; attempts: number }[];
  const idOf = new Map(rows.map((r) => [r.key, r.id]));
  const perKey = new Map<string, number>();
  for (const a of accepted) perKey.set(a.key, (perKey.get(a.key) ?? 0) + 1);
  const repeats = [...perKey.values()].reduce((sum, n) => sum + n - 1, 0);
  console.log(
    `receiver down               ${((backAt - firstOpen) / 1000).toFixed(0)} s after the first incident opened (503 to every try: ${refusedWhileDown} tries refused)`,
  );
  console.log('channel   stored  sent  pending  undelivered  delivered  lost  repeats dropped  out of order');
  for (const channel of [...new Set(rows.map((r) => r.channel))].sort()) {
    const mine = rows.filter((r) => r.channel === channel);
    const seen = new Set<string>();
    let highest = 0;
    let outOfOrder = 0;
    for (const a of accepted.filter((x) => x.channel === channel)) {
      if (seen.has(a.key)) continue;
      seen.add(a.key);
      const id = idOf.get(a.key) ?? 0;
      if (id < highest) outOfOrder += 1;
      highest = Math.max(highest, id);
    }
    const by = (state: string) => mine.filter((r) => r.state === state).length;
    const lost = mine.filter((r) => !seen.has(r.key)).length;
    const dropped = mine.reduce((sum, r) => sum + Math.max(0, (perKey.get(r.key) ?? 0) - 1), 0);
    console.log(
      `${channel.padEnd(9)} ${String(mine.length).padStart(6)} ${String(by('sent')).padStart(5)} ${String(by('pending')).padStart(8)} ${String(by('undelivered')).padStart(12)} ${String(seen.size).padStart(10)} ${String(lost).padStart(5)} ${String(dropped).padStart(16)} ${String(outOfOrder).padStart(13)}`,
    );
  }
  const afterBack = accepted.filter((a) => a.at >= backAt);
  const first = afterBack[0]?.at ?? Number.NaN;
  console.log(
    `all channels              ${rows.length} stored, ${new Set(accepted.map((a) => a.key)).size} keys delivered, ${repeats} repeats (dropped by Idempotency-Key)`,
  );
  console.log(
    `drain after it came back    first delivered ${((first - backAt) / 1000).toFixed(1)} s after, the opened messages all delivered ${((drained - backAt) / 1000).toFixed(1)} s after (each channel's head waits out its backoff)`,
  );
}

function reportDashboard(
  timings: readonly Timing[],
  readyAt: number,
  stormAt: number,
  drained: number,
): void {
  const whats = [...new Set(timings.map((t) => t.what))];
  const line = (list: Timing[]) => {
    if (list.length === 0) return 'none';
    const ms = list.map((t) => t.ms);
    const failed = list.filter((t) => !t.ok).length;
    return `p50 ${percentile(ms, 50).toFixed(0)}, p99 ${percentile(ms, 99).toFixed(0)}, max ${Math.max(...ms).toFixed(0)} ms (${list.length}${failed ? `, ${failed} failed` : ''})`;
  };
  console.log('dashboard, quiet / storm (the checks failing to the last message delivered):');
  for (const what of whats) {
    const mine = timings.filter((t) => t.what === what);
    const quiet = mine.filter((t) => t.at > readyAt + 15_000 && t.at <= stormAt);
    const storm = mine.filter((t) => t.at > stormAt && t.at <= drained);
    console.log(`  ${what.padEnd(42)} ${line(quiet).padEnd(44)} / ${line(storm)}`);
  }
}
