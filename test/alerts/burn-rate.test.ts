import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../runs/record.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';
import { burnEstate, burnIncidents, every5, N, NOW_MINUTE } from './burn-fixture.js';
import { type AlertsFixture, MINUTE, openAlerts, SITES } from './fixture.js';

const tmp = useTmpDir();
let fixture: AlertsFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function opened(yaml: string) {
  fixture = await openAlerts(tmp(), yaml, N);
  return fixture;
}

async function pushAll(f: AlertsFixture, runs: RunRecord[]) {
  for (let i = 0; i < runs.length; i += 500) await f.push(runs.slice(i, i + 500));
  await f.subsystem.engine.checkBurnRates();
}

describe('the error-budget burn-rate rule', () => {
  it('a 10-minute outage at every site fires the fast pair (14.4×) for the owner, and resolves once every short window clears', async () => {
    const f = await opened(burnEstate('{ systems: [epr] }'));
    // The last hour of runs, down at every site for its last 10 minutes (runs at −10 and −5 minutes).
    // 1 h window: counted 4 sites × 60 min = 240 min, down 4 × 10 = 40 min: 16.7% / 0.1% = 166.7× ≥ 14.4.
    // 5 min window: 20 of 20 min down: 1000× ≥ 14.4. Bad runs: 4 sites × 2 = 8 ≥ 3.
    await pushAll(
      f,
      every5(SITES, NOW_MINUTE - 60, NOW_MINUTE, (_s, m) => m >= NOW_MINUTE - 10),
    );
    const [incident] = await burnIncidents(f);
    expect(incident).toMatchObject({
      grouping: 'burn:epr-available',
      organisation: 'riverside',
      role: 'owner',
      severity: 'critical',
      subject: { kind: 'system', id: 'epr' },
    });
    expect(incident?.title).toBe(
      'EPR available 99.9%: error budget burning at 166.7× over 1h (1000× over 5m)',
    );
    expect(f.notifier.to('riverside-it').map((m) => [m.event, m.alert.rule])).toEqual([
      ['opened', 'burn-rate'],
    ]);

    // Up again. Ten minutes on, the 5-minute window is clear (0×), so the fast pair stops; but the
    // 6 h / 30 min pair still burns: 6 h counted 4 × 70 = 280 min, 40 down: 142.9× ≥ 6; 30 min: 40 of
    // 120 min: 333× ≥ 6. It stays open.
    await f.push(every5(SITES, NOW_MINUTE, NOW_MINUTE + 10, () => false));
    await f.timers.advance(10 * MINUTE);
    await f.subsystem.engine.checkBurnRates();
    expect(await burnIncidents(f)).toHaveLength(1);

    // Six hours of up runs: the longest short window (6 h, of the 3 d pair) holds no down time from
    // N + 6 h, and no pair burns: resolved then, on the minute timer.
    await pushAll(
      f,
      every5(SITES, NOW_MINUTE + 10, NOW_MINUTE + 370, () => false),
    );
    await f.timers.advance(6 * 60 * MINUTE - 10 * MINUTE - MINUTE);
    await f.subsystem.engine.checkBurnRates();
    expect(await burnIncidents(f)).toHaveLength(1);
    await f.timers.advance(MINUTE);
    await f.subsystem.engine.checkBurnRates();
    expect(await burnIncidents(f)).toEqual([]);
    const [resolved] = await burnIncidents(f, 'all');
    expect(resolved?.resolvedAt).toBe(N + 6 * 60 * MINUTE);
    expect(f.notifier.to('riverside-it').map((m) => m.event)).toEqual(['opened', 'resolved']);
  });

  it('a single failed probe does not page, though its rates alone would', async () => {
    const f = await opened(burnEstate('{ systems: [epr], sites: [marsh-lane] }'));
    // One series. One failed run 5 minutes ago: 1 h: 5 of 60 min down, 83× ≥ 14.4; 5 min: 1000×. But one
    // bad run is fewer than the 3 the rule asks for.
    await pushAll(
      f,
      every5(['marsh-lane'], NOW_MINUTE - 60, NOW_MINUTE, (_s, m) => m === NOW_MINUTE - 5),
    );
    expect(await burnIncidents(f)).toEqual([]);
  });

  it('the same failed probe pages when the estate asks for a single bad run', async () => {
    const f = await opened(burnEstate('{ systems: [epr], sites: [marsh-lane] }', '{ minBadRuns: 1 }'));
    await pushAll(
      f,
      every5(['marsh-lane'], NOW_MINUTE - 60, NOW_MINUTE, (_s, m) => m === NOW_MINUTE - 5),
    );
    const [incident] = await burnIncidents(f);
    // Marsh Lane alone sees it (one vantage point of one): the principles call that the owner's.
    expect(incident).toMatchObject({ severity: 'critical', organisation: 'riverside', role: 'owner' });
  });

  it('a slow steady burn at one site fires only the 3-day / 6-hour pair, for its host', async () => {
    const f = await opened(burnEstate('{ systems: [epr] }'));
    // Three days of runs; Marsh Lane fails one run every 8 hours, the last 3 hours ago (9 in all).
    const failures = new Set(Array.from({ length: 9 }, (_, k) => NOW_MINUTE - 180 - 480 * k));
    await pushAll(
      f,
      every5(SITES, 0, NOW_MINUTE, (s, m) => s === 'marsh-lane' && failures.has(m)),
    );
    // 3 d: 45 of 4 × 4,320 = 17,280 min down: 0.26% / 0.1% = 2.6× ≥ 1; 6 h: 5 of 1,440: 3.5× ≥ 1. Fires.
    // 1 d: 15 of 5,760 min: 2.6× < 3 (and 2 h: 0×). 6 h: 3.5× < 6. 1 h: 0× < 14.4. None of them fire.
    const [incident] = await burnIncidents(f);
    expect(incident).toMatchObject({
      severity: 'warning',
      organisation: 'eastfield',
      role: 'host',
      subject: { kind: 'site', id: 'marsh-lane' },
    });
    expect(incident?.title).toBe('EPR available 99.9%: error budget burning at 2.6× over 3d (3.5× over 6h)');
    const events = await f.store.incidents.events(incident?.id as string);
    const detail = events.find((e) => e.kind === 'opened')?.detail as {
      pair: string;
      burn: { pair: string; long: number; short: number; badRuns: number }[];
    };
    expect(detail.pair).toBe('3d/6h');
    expect(detail.burn).toEqual([
      { pair: '1h/5m', rate: 14.4, long: 0, short: 0, badRuns: 0 },
      { pair: '6h/30m', rate: 6, long: 3.5, short: 0, badRuns: 1 },
      { pair: '1d/2h', rate: 3, long: 2.6, short: 0, badRuns: 3 },
      { pair: '3d/6h', rate: 1, long: 2.6, short: 3.5, badRuns: 9 },
    ]);
    expect(f.notifier.to('eastfield-it').map((m) => m.event)).toEqual(['opened']);

    // Then Marsh Lane's link goes down from N, the others up. Read every minute, the 6 h / 30 min pair
    // (critical) fires, still Eastfield's: the same incident becomes critical, and its channels are told.
    const others = SITES.filter((s) => s !== 'marsh-lane');
    await f.push([
      ...every5(['marsh-lane'], NOW_MINUTE, NOW_MINUTE + 15, () => true),
      ...every5(others, NOW_MINUTE, NOW_MINUTE + 15, () => false),
    ]);
    await f.timers.advance(15 * MINUTE);
    await f.subsystem.engine.checkBurnRates();
    const [raised] = await burnIncidents(f);
    expect(raised).toMatchObject({ id: incident?.id, severity: 'critical', organisation: 'eastfield' });
    expect(raised?.title).toBe('EPR available 99.9%: error budget burning at 7.6× over 6h (50× over 30m)');
    const escalated = (await f.store.incidents.events(incident?.id as string)).find(
      (e) => e.kind === 'escalated',
    );
    // Raised at the minute reading that first saw the pair fire.
    expect(escalated?.at).toBeGreaterThan(N);
    expect(escalated?.at).toBeLessThanOrEqual(N + 15 * MINUTE);
    expect(f.notifier.to('eastfield-it').map((m) => [m.event, m.alert.severity])).toEqual([
      ['opened', 'warning'],
      ['escalated', 'critical'],
    ]);
  });

  it('is read after stored runs and on the minute timer, with nobody asking', async () => {
    const f = await opened(burnEstate('{ systems: [epr] }'));
    // Stored runs: read at once (the first reading), and the outage is there.
    await f.push(every5(SITES, NOW_MINUTE - 60, NOW_MINUTE, (_s, m) => m >= NOW_MINUTE - 10));
    const opened_ = await until(
      () => burnIncidents(f),
      (list) => list.length === 1,
    );
    expect(opened_.map((i) => i.severity)).toEqual(['critical']);
    // Up again, stored within the minute (not read again yet); the timer reads it once the windows clear.
    await f.push(every5(SITES, NOW_MINUTE, NOW_MINUTE + 370, () => false));
    await f.timers.advance(6 * 60 * MINUTE + MINUTE);
    const after = await until(
      () => burnIncidents(f),
      (list) => list.length === 0,
    );
    expect(after).toEqual([]);
  });
});
