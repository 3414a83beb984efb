import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStores } from '../../../server/store/sqlite/stores.js';
import { repoRoot } from '../../helpers/estates.js';
import { type Receiver, startReceiver } from '../../helpers/json-receiver.js';
import { useTmpDir } from '../../helpers/tmp.js';
import { until } from '../../helpers/until.js';
import { message } from './messages.js';

const tmp = useTmpDir();
const module = (path: string) => JSON.stringify(pathToFileURL(join(repoRoot, path)).href);

/** A process that sends the outbox of a database file to a receiver, as the server does, until killed. */
const DISPATCHER = `
import { NotificationDispatcher } from ${module('server/alerts/outbox/dispatcher.ts')};
import { SqliteStores } from ${module('server/store/sqlite/stores.ts')};
import { realTimers } from ${module('common/timers.ts')};
import { jsonPoster } from ${module('test/helpers/json-sender.ts')};
const [file, url] = process.argv.slice(2);
const stores = SqliteStores.open(file);
const logger = { info() {}, warn() {}, error: (m, f) => console.error(m, JSON.stringify(f)) };
const dispatcher = new NotificationDispatcher({ store: stores.notifications, send: jsonPoster((c) => url + '/' + c), timers: realTimers, logger });
dispatcher.start();
setInterval(() => {}, 1000);
`;

const children: ChildProcess[] = [];
let receiver: Receiver | undefined;
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await receiver?.close();
  receiver = undefined;
});

function startDispatcher(
  script: string,
  file: string,
  url: string,
): ChildProcess & { stderr: NonNullable<ChildProcess['stderr']> } {
  const child = spawn(process.execPath, ['--import', 'tsx', script, file, url], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return child as ChildProcess & { stderr: NonNullable<ChildProcess['stderr']> };
}

const exited = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));

describe('the outbox across kill -9', () => {
  it('re-sends the message in flight when killed, with the same key, after a restart, and loses nothing', async () => {
    const file = join(tmp(), 'crash.db');
    const script = join(tmp(), 'dispatch.ts');
    writeFileSync(script, DISPATCHER);
    const stores = SqliteStores.open(file);
    for (const key of ['k1', 'k2', 'k3']) await stores.notifications.enqueue('a', message(key), Date.now());
    await stores.close();

    // The first request is held open: the process is killed while it waits for the answer.
    receiver = await startReceiver((_request, index) => (index === 0 ? 'hold' : { status: 200 }));
    const { url } = receiver;
    const first = startDispatcher(script, file, url);
    const firstExit = exited(first);
    await until(
      async () => receiver?.received.length ?? 0,
      (n) => n >= 1,
      20_000,
    );
    expect(receiver.received.map((r) => r.key)).toEqual(['k1']);
    first.kill('SIGKILL');
    expect(await firstExit).toBe('SIGKILL');

    const db = new Database(file, { readonly: true });
    const states = () =>
      db.prepare('SELECT idempotency_key AS key, state FROM notifications ORDER BY id').all() as {
        key: string;
        state: string;
      }[];
    // Nothing was marked sent that was not accepted.
    expect(states().map((row) => row.state)).toEqual(['pending', 'pending', 'pending']);

    const second = startDispatcher(script, file, url);
    let errors = '';
    second.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    const sent = await until(
      async () => states(),
      (rows) => rows.every((row) => row.state === 'sent'),
      20_000,
    );
    db.close();
    second.kill('SIGKILL');
    expect(errors).toBe('');
    expect(sent.map((row) => row.state)).toEqual(['sent', 'sent', 'sent']);
    // k1 twice (the held attempt and the one after the restart), with the same key and body.
    expect(receiver.received.map((r) => r.key)).toEqual(['k1', 'k1', 'k2', 'k3']);
    expect(receiver.received[1]?.body).toEqual(receiver.received[0]?.body);
    expect(receiver.accepted()).toEqual(['k1', 'k2', 'k3']);
  }, 60_000);
});
