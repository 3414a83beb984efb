import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { freePort } from './free-port.js';
import { until } from './until.js';

const executablePath = process.env.ALERTMANAGER_PATH ?? '/usr/bin/prometheus-alertmanager';

/**
 * A suite that needs a real Alertmanager (Debian's prometheus-alertmanager). Without it the suite is
 * skipped on a developer's machine, but fails in CI, which installs it.
 */
export function alertmanagerSuite(name: string, body: () => void): void {
  if (existsSync(executablePath)) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it('has Alertmanager to send to', () => {
        throw new Error(
          `Alertmanager is not at ${executablePath}: install it (apt-get install prometheus-alertmanager) or set ALERTMANAGER_PATH`,
        );
      });
    });
  } else {
    describe.skip(`${name} (no Alertmanager at ${executablePath})`, body);
  }
}

export interface RunningAlertmanager {
  url: string;
  /** Its output, for a failing test to show. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts Alertmanager on 127.0.0.1 with a throwaway configuration that groups by organisation and
 * system and sends nowhere, its storage in `dir`, and no cluster gossip; waits until it is ready.
 */
export async function startAlertmanager(dir: string): Promise<RunningAlertmanager> {
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(
    config,
    [
      'route:',
      '  receiver: nowhere',
      '  group_by: [organisation, system]',
      '  group_wait: 1s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: nowhere',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    executablePath,
    [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const ready = await until(
    () =>
      fetch(`${url}/-/ready`).then(
        (res) => res.status,
        () => 0,
      ),
    (status) => status === 200 || child.exitCode !== null,
    20_000,
  );
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  if (ready !== 200) {
    await stop();
    throw new Error(`Alertmanager did not become ready:\n${output}`);
  }
  return { url, output: () => output, stop };
}
