import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import type { ProbeResult } from '../../probes/result.js';
import { cronPlan, everyPlan, offsetOf } from '../../runs/plan.js';
import type { RunRecord } from '../../runs/record.js';
import { Scheduler } from '../../runs/scheduler.js';
import type { Check } from '../../server/config/schema.js';
import { ManualTimers } from '../helpers/manual-timers.js';

const t0 = Date.UTC(2026, 10, 2, 9, 0, 0);
const MINUTE = 60_000;

function check(id: string, extra: Partial<Check> = {}): Check {
  return { id, system: 'epr', type: 'tcp', target: '127.0.0.1:1', every: '1m', ...extra } as Check;
}

function result(ms: number, state: ProbeResult['state'] = 'ok'): ProbeResult {
  return {
    startedAt: new Date().toISOString(),
    ok: state !== 'fail',
    state,
    phases: { dnsMs: null, connectMs: ms, tlsMs: null, ttfbMs: null, transferMs: null, totalMs: ms },
  };
}

/** A scheduler whose probes take `durationMs` of manual time each, recording every run. */
function setup(options: { durationMs?: number | ((c: Check) => number); concurrency?: number } = {}) {
  const timers = new ManualTimers(t0);
  const runs: (RunRecord & { latenessMs: number })[] = [];
  const started: { id: string; at: number }[] = [];
  const duration = options.durationMs ?? 100;
  const scheduler = new Scheduler({
    timers,
    vantagePoint: 'server',
    logger: silentLogger,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    onRun: (record, _check, latenessMs) => runs.push({ ...record, latenessMs }),
    run: (c, signal) => {
      started.push({ id: c.id, at: timers.now() });
      const ms = typeof duration === 'function' ? duration(c) : duration;
      return new Promise((resolve) => {
        const handle = timers.setTimeout(() => resolve(result(ms)), ms);
        signal.addEventListener('abort', () => {
          timers.clearTimeout(handle);
          resolve({
            ...result(ms, 'fail'),
            ok: false,
            error: { class: 'timeout', message: String(signal.reason?.message) },
          });
        });
      });
    },
  });
  return { timers, scheduler, runs, started };
}

describe('plans', () => {
  it('spreads thousands of checks over the interval, each at a fixed offset', () => {
    const perSecond = new Array(60).fill(0);
    for (let i = 0; i < 6000; i++) perSecond[offsetOf(`check-${i}`, MINUTE) / 1000] += 1;
    expect(Math.max(...perSecond)).toBeLessThan(150); // 100 a second on average
    expect(Math.min(...perSecond)).toBeGreaterThan(50);
    expect(offsetOf('epr-login', MINUTE)).toBe(offsetOf('epr-login', MINUTE));
  });

  it('plans every-runs on the interval at the offset, strictly after the given time', () => {
    const plan = everyPlan('epr-login', MINUTE);
    const first = plan(t0);
    expect(first).toBeGreaterThan(t0);
    expect(first - t0).toBeLessThanOrEqual(MINUTE);
    expect(plan(first)).toBe(first + MINUTE);
    expect((first - offsetOf('epr-login', MINUTE)) % MINUTE).toBe(0);
  });

  it('plans cron-runs in Europe/London time, across the change to winter time', () => {
    const weekdays8 = cronPlan('0 8 * * 1-5');
    // Friday 2026-10-23 09:00 UTC is 10:00 BST; the next 08:00 London weekday is Monday 26th, 08:00 GMT.
    expect(new Date(weekdays8(Date.UTC(2026, 9, 23, 9))).toISOString()).toBe('2026-10-26T08:00:00.000Z');
    // Thursday 22nd 06:00 UTC (07:00 BST): 08:00 BST that day is 07:00 UTC.
    expect(new Date(weekdays8(Date.UTC(2026, 9, 22, 6))).toISOString()).toBe('2026-10-22T07:00:00.000Z');
    const every5 = cronPlan('*/5 * * * *');
    expect(every5(Date.UTC(2026, 9, 22, 6, 2, 30))).toBe(Date.UTC(2026, 9, 22, 6, 5));
  });
});

describe('scheduler', () => {
  it('runs each check once per interval, on time', async () => {
    const { timers, scheduler, runs } = setup();
    scheduler.setChecks([check('a'), check('b'), check('c', { every: '30s' })]);
    scheduler.start();
    await timers.advance(10 * MINUTE);
    const count = (id: string) => runs.filter((r) => r.checkId === id).length;
    expect(count('a')).toBe(10);
    expect(count('b')).toBe(10);
    expect(count('c')).toBe(20);
    expect(runs.every((r) => r.state === 'ok' && r.latenessMs === 0)).toBe(true);
    await scheduler.stop();
  });

  it('never overlaps a check with itself: a run due while the last goes on is recorded as skipped', async () => {
    const { timers, scheduler, runs, started } = setup({ durationMs: 90_000 });
    scheduler.setChecks([check('slow', { timeout: '2m' } as Partial<Check>)]);
    scheduler.start();
    await timers.advance(6 * MINUTE);
    const skipped = runs.filter((r) => r.state === 'skipped');
    const done = runs.filter((r) => r.state === 'ok');
    expect(skipped.length).toBeGreaterThanOrEqual(2);
    expect(done.length + skipped.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < started.length; i++)
      expect((started[i]?.at ?? 0) - (started[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(90_000);
    expect(skipped[0]?.error?.message).toMatch(/previous run had not finished/);
    await scheduler.stop();
  });

  it('bounds how many probes are in flight, starting the rest late rather than never', async () => {
    const { timers, scheduler, runs } = setup({ durationMs: 5_000, concurrency: 3 });
    const checks = Array.from({ length: 12 }, (_, i) => check(`c${i}`, { every: '1m' }));
    // All twelve planned for the same second: the spread is per id, so force it with cron.
    scheduler.setChecks(checks.map((c) => ({ ...c, every: undefined, cron: '* * * * *' }) as Check));
    scheduler.start();
    await timers.advance(MINUTE + 30_000);
    expect(scheduler.stats().running).toBe(0);
    const firstMinute = runs.filter((r) => r.startedAt < t0 + 2 * MINUTE);
    expect(firstMinute).toHaveLength(12);
    expect(Math.max(...firstMinute.map((r) => r.latenessMs))).toBe(15_000); // four rounds of three, 5 s each
    await scheduler.stop();
  });

  it('ends a run at its timeout through the signal', async () => {
    const { timers, scheduler, runs } = setup({ durationMs: 50_000 });
    scheduler.setChecks([check('stuck', { timeout: '10s' } as Partial<Check>)]);
    scheduler.start();
    await timers.advance(MINUTE + 20_000);
    expect(runs[0]).toMatchObject({
      state: 'fail',
      error: { class: 'timeout', message: 'no answer within 10 s' },
    });
    await scheduler.stop();
  });

  it('applies a new estate without a restart: added, changed and removed checks', async () => {
    const { timers, scheduler, runs } = setup();
    scheduler.setChecks([check('keep'), check('change'), check('drop')]);
    scheduler.start();
    await timers.advance(3 * MINUTE);
    runs.length = 0;
    scheduler.setChecks([check('keep'), check('change', { every: '30s' }), check('new')]);
    await timers.advance(4 * MINUTE);
    const count = (id: string) => runs.filter((r) => r.checkId === id).length;
    expect(count('keep')).toBe(4);
    expect(count('change')).toBe(8);
    expect(count('new')).toBe(4);
    expect(count('drop')).toBe(0);
    expect(scheduler.stats().checks).toBe(3);
    await scheduler.stop();
    expect(timers.pending).toBe(0);
  });

  it('stops cleanly: in-flight runs are aborted and not recorded', async () => {
    const { timers, scheduler, runs } = setup({ durationMs: 100_000 });
    scheduler.setChecks([check('a', { timeout: '3m' } as Partial<Check>)]);
    scheduler.start();
    await timers.advance(MINUTE);
    expect(scheduler.stats().running).toBe(1);
    await scheduler.stop();
    expect(scheduler.stats().running).toBe(0);
    expect(runs).toHaveLength(0);
  });
});
