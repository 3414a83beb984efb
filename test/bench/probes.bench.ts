import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { request } from 'node:http';
import { checkSchema } from '../../probes/check-schema.js';
import { runProbe } from '../../probes/run.js';
import { formatRow, repeat, stats } from './measure.js';

const HEADER_DELAY_MS = 150;
const TIMING_RUNS = 20;
const TIMING_GOAL_MS = 5;
const CONCURRENCY = 50;
const CAPACITY_SECONDS = 5;
const WARM_UP_MS = 500;
const CAPACITY_GOAL_PER_SECOND = 1000;
const RATIO_GOAL = 0.6;
const REQUEST_TIMEOUT_MS = 10_000;

/** The target: a plain node:http server in a child process, so only the probing side is measured here. */
const TARGET_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  if (req.url === '/delay') setTimeout(() => res.end('ok'), ${HEADER_DELAY_MS});
  else res.end('ok');
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

/**
 * The probe goals: ttfbMs within 5 ms of curl's for the same 150 ms server delay, and at least
 * 1,000 http probes a second, each on a fresh connection, at no less than 0.6 of what a bare
 * node:http loop manages against the same server from the same process.
 */
export async function benchProbes(): Promise<void> {
  const target = await startTarget();
  try {
    await timingAccuracy(`http://127.0.0.1:${target.port}/delay`);
    console.log();
    await capacity(`http://127.0.0.1:${target.port}/`);
  } finally {
    target.child.kill('SIGKILL');
  }
}

async function timingAccuracy(url: string): Promise<void> {
  console.log(
    `timing accuracy: the server delays its headers by ${HEADER_DELAY_MS} ms; ${TIMING_RUNS} runs each`,
  );
  const check = checkSchema.parse({ id: 'bench', system: 'bench', type: 'http', target: url });
  const probe = stats(
    await repeat(TIMING_RUNS, async () => {
      const result = await runProbe(check, AbortSignal.timeout(REQUEST_TIMEOUT_MS));
      if (!result.ok || result.phases.ttfbMs === null)
        throw new Error(`probe failed: ${result.error?.message}`);
      return result.phases.ttfbMs;
    }),
  );
  console.log(formatRow({ label: 'probe ttfbMs' }, probe));
  if (!(await hasCurl())) {
    console.log('curl starttransfer - pretransfer      skipped: curl is not installed');
    return;
  }
  const curl = stats(await repeat(TIMING_RUNS, () => curlTtfb(url)));
  console.log(formatRow({ label: 'curl starttransfer - pretransfer' }, curl));
  const difference = Math.abs(probe.median - curl.median);
  const verdict = difference <= TIMING_GOAL_MS ? 'OK' : 'MISSED';
  const medians = `(${probe.median.toFixed(1)} vs ${curl.median.toFixed(1)} ms)`;
  console.log(
    `${'difference of the medians'.padEnd(36)} ${difference.toFixed(1).padStart(8)} ms  ${medians.padEnd(27)}` +
      `goal <= ${TIMING_GOAL_MS} ms  ${verdict}`,
  );
}

async function capacity(url: string): Promise<void> {
  console.log(
    `capacity: ${CONCURRENCY} at a time for ${CAPACITY_SECONDS} s, a fresh connection each, ` +
      'against a trivial server in a child process',
  );
  const check = checkSchema.parse({ id: 'bench', system: 'bench', type: 'http', target: url });
  const probes = await sustained(async () => {
    const result = await runProbe(check, AbortSignal.timeout(REQUEST_TIMEOUT_MS));
    if (!result.ok) throw new Error(`probe failed: ${result.error?.message}`);
  });
  const bare = await sustained(() => bareRequest(url));
  const ratio = probes.perSecond / bare.perSecond;
  const rate = (n: number) => `${Math.round(n).toLocaleString('en-GB')}/s`;
  console.log(
    `${'http probes'.padEnd(36)} ${rate(probes.perSecond).padStart(11)}  ` +
      `(${probes.count.toLocaleString('en-GB')} in ${probes.seconds.toFixed(1)} s)`.padEnd(27) +
      `goal >= ${CAPACITY_GOAL_PER_SECOND.toLocaleString('en-GB')}/s  ${probes.perSecond >= CAPACITY_GOAL_PER_SECOND ? 'OK' : 'MISSED'}`,
  );
  console.log(
    `${'bare node:http, agent: false'.padEnd(36)} ${rate(bare.perSecond).padStart(11)}  ` +
      `(${bare.count.toLocaleString('en-GB')} in ${bare.seconds.toFixed(1)} s)`.padEnd(27) +
      '(no goal)',
  );
  console.log(
    `${'probes / bare'.padEnd(36)} ${ratio.toFixed(2).padStart(11)}  ${' '.repeat(27)}` +
      `goal >= ${RATIO_GOAL}  ${ratio >= RATIO_GOAL ? 'OK' : 'MISSED'}`,
  );
}

/** Runs `once` by CONCURRENCY workers for the set time after a warm-up; counts completions in the timed part. */
async function sustained(
  once: () => Promise<void>,
): Promise<{ count: number; seconds: number; perSecond: number }> {
  const warmUpEnds = performance.now() + WARM_UP_MS;
  const ends = warmUpEnds + CAPACITY_SECONDS * 1000;
  let count = 0;
  const worker = async () => {
    while (performance.now() < ends) {
      await once();
      if (performance.now() >= warmUpEnds) count += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - warmUpEnds) / 1000;
  return { count, seconds, perSecond: count / seconds };
}

function bareRequest(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      res.resume();
      res.once('end', resolve);
      res.once('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error('no answer')));
    req.once('error', reject);
    req.end();
  });
}

function curlTtfb(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      'curl',
      ['-s', '-o', '/dev/null', '--max-time', '10', '-w', '%{time_pretransfer} %{time_starttransfer}', url],
      (error, stdout) => {
        if (error) return reject(error);
        const [pretransfer, starttransfer] = stdout.trim().split(' ').map(Number);
        if (pretransfer === undefined || starttransfer === undefined)
          return reject(new Error(`curl said '${stdout}'`));
        resolve((starttransfer - pretransfer) * 1000);
      },
    );
  });
}

function hasCurl(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('curl', ['--version'], (error) => resolve(!error));
  });
}

async function startTarget(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-e', TARGET_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the target server did not start within 10 s')),
        10_000,
      );
      child.once('exit', (code) => reject(new Error(`the target server exited with ${code}`)));
      child.stdout?.once('data', (chunk: Buffer) => {
        clearTimeout(timer);
        resolve(Number(chunk.toString().trim()));
      });
    });
    return { child, port };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}
