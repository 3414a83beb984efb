import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const cliPath = join(repoRoot, 'dist', 'server', 'cli', 'main.js');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Settles once the process has exited and its output is read. */
  exited: Promise<Exit>;
}

export interface CliResult extends Exit {
  stdout: string;
  stderr: string;
  ms: number;
}

const running = new Set<ChildProcess>();

// Last resort: a benchmark that throws or is interrupted must not leave a server behind.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Spawns `vantage ARGS`, keeping the last `keep` characters of each stream (all by default). */
export function spawnCli(args: string[], keep = Number.POSITIVE_INFINITY): CliProcess {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout = (stdout + chunk.toString()).slice(-keep);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-keep);
  });
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  // Callers that bail out early still await `exited` later; this keeps an early error from going unhandled.
  exited.catch(() => {});
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

function killIfRunning(cli: CliProcess): void {
  if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
}

/** Runs `vantage ARGS` to completion and times it, from spawn to exit. */
export async function runCli(args: string[], timeoutMs: number): Promise<CliResult> {
  const started = performance.now();
  const cli = spawnCli(args);
  try {
    const exit = await withDeadline(
      cli.exited,
      started + timeoutMs,
      `vantage ${args.join(' ')} to exit within ${timeoutMs} ms`,
    );
    return { ...exit, stdout: cli.stdout(), stderr: cli.stderr(), ms: performance.now() - started };
  } finally {
    killIfRunning(cli);
  }
}

/**
 * Starts `vantage serve ARGS`, waits for its "running at" line and then for GET /readyz to answer 200,
 * stops it with SIGTERM and returns the time from spawn to that 200.
 */
export async function timeServeToReady(args: string[], timeoutMs: number): Promise<number> {
  const started = performance.now();
  const deadline = started + timeoutMs;
  const cli = spawnCli(['serve', ...args]);
  try {
    await serveReady(cli, deadline, timeoutMs);
    const ms = performance.now() - started;
    await stop(cli, deadline, timeoutMs);
    return ms;
  } finally {
    killIfRunning(cli);
  }
}

/** Waits for `vantage serve` to print its address, then for GET /readyz there to answer 200; gives the address. */
export async function serveReady(cli: CliProcess, deadline: number, timeoutMs: number): Promise<string> {
  const url = await withDeadline(
    announcedUrl(cli),
    deadline,
    `vantage serve to print its address within ${timeoutMs} ms`,
  );
  await pollUntilReady(new URL('/readyz', url), deadline, timeoutMs);
  return url;
}

function announcedUrl(cli: CliProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const onData = () => {
      const match = /running at (http:\/\/\S+)/.exec(cli.stdout());
      if (!match?.[1]) return;
      cli.child.stdout?.off('data', onData);
      resolve(match[1]);
    };
    cli.child.stdout?.on('data', onData);
    cli.exited.then(
      (exit) => reject(new Error(`vantage serve exited early (${describeExit(exit)}):\n${cli.stderr()}`)),
      reject,
    );
  });
}

async function pollUntilReady(url: URL, deadline: number, timeoutMs: number): Promise<void> {
  let last = 'no answer yet';
  while (performance.now() < deadline) {
    try {
      const status = await getStatus(url, Math.max(1, deadline - performance.now()));
      if (status === 200) return;
      last = `status ${status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(10);
  }
  throw new Error(`GET ${url} did not answer 200 within ${timeoutMs} ms of the start (last: ${last})`);
}

async function stop(cli: CliProcess, deadline: number, timeoutMs: number): Promise<void> {
  cli.child.kill('SIGTERM');
  const exit = await withDeadline(
    cli.exited,
    deadline,
    `vantage serve to start and stop within ${timeoutMs} ms`,
  );
  if (exit.code !== 0) {
    throw new Error(`vantage serve stopped with ${describeExit(exit)} on SIGTERM:\n${cli.stderr()}`);
  }
}

/** One request on its own connection, so no keep-alive socket outlives the server. */
export function getStatus(url: URL, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('timeout', () => req.destroy(new Error(`no answer in ${Math.round(timeoutMs)} ms`)));
    req.once('error', reject);
    req.end();
  });
}

async function withDeadline<T>(promise: Promise<T>, deadline: number, what: string): Promise<T> {
  const budget = Math.max(0, deadline - performance.now());
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), budget);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describeExit(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime (ticks), RSS and its high-water mark (kB) of a process, from /proc. */
export function procStats(pid: number): { cpu: number; rss: number; hwm: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { cpu: Number(fields[11]) + Number(fields[12]), rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** One line of a benchmark's report: what was measured, its value, and the goal and whether it was met. */
export function row(label: string, value: string, goal?: string, met?: boolean): void {
  const verdict = goal === undefined ? '(no goal)' : `goal ${goal.padEnd(26)} ${met ? 'OK' : 'MISSED'}`;
  console.log(`${label.padEnd(44)} ${value.padEnd(60)} ${verdict}`);
}
