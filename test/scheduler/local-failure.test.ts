import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/estates.js';

const dist = join(repoRoot, 'dist');

/**
 * Runs a real check every second under the built Scheduler and probes, in a process whose file
 * descriptors are then used up for three runs and given back: what it records, logs and counts.
 */
const child = `
import { openSync, closeSync } from 'node:fs';
const { Scheduler } = await import('${dist}/runs/scheduler.js');
const { runProbe } = await import('${dist}/probes/run.js');
const { realTimers } = await import('${dist}/common/timers.js');
const { ProbeMetrics } = await import('${dist}/server/metrics.js');
const check = { id: 'epr-login', system: 'epr', type: 'http', target: process.argv[1], every: '1s', timeout: '2s' };
const records = [];
const logs = [];
const log = (level) => (message, fields) => logs.push({ level, message, ...fields });
const metrics = new ProbeMetrics(undefined, { processMetrics: false });
let wake = () => {};
const scheduler = new Scheduler({
  timers: realTimers, run: runProbe, vantagePoint: 'server',
  logger: { info: log('info'), warn: log('warn'), error: log('error') },
  onRun: (record) => { records.push(record); metrics.observe(record, check, { id: 'epr', owner: 'riverside' }); wake(); },
});
const runs = (count) => new Promise((resolve) => {
  const target = records.length + count;
  wake = () => { if (records.length >= target) resolve(); };
});
scheduler.setChecks([check]);
scheduler.start();
await runs(1);
const hoard = [];
try { for (;;) hoard.push(openSync('/dev/null', 'r')); } catch (error) { if (error.code !== 'EMFILE') throw error; }
await runs(3);
for (const fd of hoard) closeSync(fd);
await runs(1);
await scheduler.stop();
process.stdout.write(JSON.stringify({ records, logs, metrics: await metrics.registry.metrics() }));
`;

let target: Server | undefined;
afterEach(() => {
  target?.close();
});

function runChild(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // A low limit, so that using up the descriptors is quick.
    const proc = spawn(
      'sh',
      ['-c', 'ulimit -n 128 && exec "$0" --input-type=module -e "$1" "$2"', process.execPath, child, url],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    proc.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

describe('a probe that cannot run for want of file descriptors', () => {
  it('is recorded as skipped with the class local, logged once, counted in /metrics, and not as a failure', {
    timeout: 30_000,
  }, async () => {
    target = createServer((_req, res) => res.end('Sign in'));
    await new Promise<void>((resolve) => target?.listen(0, '127.0.0.1', resolve));
    const { port } = target.address() as { port: number };
    const { records, logs, metrics } = JSON.parse(await runChild(`http://127.0.0.1:${port}/`)) as {
      records: { state: string; phases: unknown; error?: { class: string; message: string } }[];
      logs: { level: string; message: string; error?: string }[];
      metrics: string;
    };

    expect(records.map((r) => r.state)).toEqual(['ok', 'skipped', 'skipped', 'skipped', 'ok']);
    for (const short of records.slice(1, 4)) {
      expect(short.phases).toBe(null);
      expect(short.error?.class).toBe('local');
      expect(short.error?.message).toMatch(/^EMFILE: this process has run out of file descriptors/);
    }
    const warnings = logs.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/^probes cannot run: this machine is short of resources/);
    expect(logs.filter((l) => l.message.startsWith('probes run again'))).toHaveLength(1);
    expect(metrics).toMatch(/^vantage_local_failures_total\{code="EMFILE"\} 3$/m);
    expect(metrics).toMatch(/^vantage_check_runs_total\{result="skipped"\} 3$/m);
    expect(metrics).toMatch(/^vantage_check_runs_total\{result="fail"\} 0$/m);
  });
});
