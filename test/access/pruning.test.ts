import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { AccessPruning } from '../../server/access/pruning.js';
import { hashSecret } from '../../server/access/secrets.js';
import type { Estate } from '../../server/config/schema.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { ManualTimers } from '../helpers/manual-timers.js';
import { signedIn } from '../helpers/signed-in.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('pruning sessions and the audit log', () => {
  let store: SqliteStores;
  let timers: ManualTimers;
  let pruning: AccessPruning;
  const start = Date.UTC(2026, 10, 24, 9);

  const withSettings = (extra: string): Estate => estateFrom(`${smallEstateYaml}${extra}`);
  const auditAt = (at: number, subject: string) =>
    store.access.audit({
      at,
      actor: 'cio@example.org',
      action: 'role-changed',
      subject,
      address: null,
      detail: null,
    });
  const subjects = async () => (await store.access.auditLog({ limit: 100 })).map((e) => e.subject);

  beforeEach(() => {
    store = SqliteStores.open(join(tmp(), 'pruning.db'));
    timers = new ManualTimers(start);
    pruning = new AccessPruning({ store: store.access, timers, logger: silentLogger });
  });
  afterEach(async () => {
    await pruning.stop();
    await store.close();
  });

  it('removes sessions past their idle or absolute end, once a minute after the start and then hourly', async () => {
    pruning.apply(withSettings('access: { session: { idle: 30m, absolute: 2h } }\n'));
    const idle = await signedIn(
      store,
      { email: 'idle@example.org', role: 'viewer' },
      start - 31 * MINUTE,
      2 * HOUR,
    );
    const busy = await signedIn(
      store,
      { email: 'busy@example.org', role: 'viewer' },
      start - 10 * MINUTE,
      2 * HOUR,
    );
    const session = (who: typeof idle) => store.access.session(hashSecret(who.secret));
    pruning.start();
    await timers.advance(59_000);
    expect(await session(idle)).toBeDefined();
    await timers.advance(1_000);
    expect(await session(idle)).toBeUndefined();
    expect(await session(busy)).toBeDefined();
    // Kept busy, it still ends 2 hours after it started, at the first hourly pass past that.
    for (let i = 0; i < 4; i++) {
      await store.access.touchSession((await session(busy))?.idHash ?? '', timers.now());
      await timers.advance(25 * MINUTE);
    }
    // 1 h 51 min since it started: still live.
    expect(await session(busy)).toBeDefined();
    await store.access.touchSession((await session(busy))?.idHash ?? '', timers.now());
    await timers.advance(HOUR);
    expect(await session(busy)).toBeUndefined();
    expect(timers.pending).toBe(1);
  });

  it('keeps the audit log for settings.retention.audit, 730 days unless set', async () => {
    pruning.apply(withSettings(''));
    await auditAt(start - 731 * DAY, 'too old');
    await auditAt(start - 729 * DAY, 'kept');
    await pruning.pruneOnce();
    expect(await subjects()).toEqual(['kept']);

    pruning.apply(withSettings('settings: { retention: { audit: 90d } }\n'));
    await auditAt(start - 91 * DAY, 'past 90 days');
    await auditAt(start - 89 * DAY, 'within 90 days');
    pruning.start();
    await timers.advance(MINUTE);
    expect(await subjects()).toEqual(['within 90 days']);
  });

  it('stops: no pass after stop', async () => {
    pruning.apply(withSettings(''));
    pruning.start();
    await pruning.stop();
    expect(timers.pending).toBe(0);
  });
});
