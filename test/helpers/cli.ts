import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { apiTokenIn } from './as-admin.js';
import { repoRoot } from './estates.js';

export const cliPath = join(repoRoot, 'dist', 'server', 'cli', 'main.js');

/** Runs the built `vantage` command to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env, timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From spawning to exit. */
  ms: number;
}

/**
 * Runs the built `vantage` command without blocking this process, which may be serving its targets;
 * killed after 20 s.
 */
export function spawnCli(args: string[]): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Headers carrying an admin's API token, made in the server's database the first time it is asked. */
  adminHeaders(): Promise<{ authorization: string }>;
  stderr(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `vantage serve` and resolves once it prints the address it listens on. With `port` null
 * no --port is passed (the server then takes PORT from `env`, or its default).
 */
export function startCliServer(
  args: string[],
  timeoutMs = 20_000,
  port: number | null = 0,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServerProcess> {
  const portArgs = port === null ? [] : ['--port', String(port)];
  const child = spawn(process.execPath, [cliPath, 'serve', ...portArgs, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vantage serve did not start in ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    const early = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`vantage serve exited with ${code}:\n${stderr}`));
    };
    child.once('exit', early);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /running at (https?:\/\/\S+)/.exec(stdout);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.off('exit', early);
      let admin: Promise<{ authorization: string }> | undefined;
      resolve({
        child,
        url: match[1],
        adminHeaders: () => {
          admin ??= apiTokenIn(dbFileOf(args));
          return admin;
        },
        stderr: () => stderr,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null) child.kill(signal);
          return exited;
        },
      });
    });
  });
}

/** The database `vantage serve` was given, or its default (as serve decides it). */
function dbFileOf(args: string[]): string {
  const at = args.indexOf('--db');
  if (at >= 0 && args[at + 1]) return args[at + 1] as string;
  return args.includes('--demo') ? 'data/demo.db' : 'data/vantage.db';
}
