import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Phases } from '../../probes/result.js';
import type { RunRecord } from '../../runs/record.js';
import { pairsFor, verdicts } from '../../server/alerts/burn-rate.js';
import type { Principle } from '../../server/config/schema.js';
import { bucketMiddleMs, bucketOf } from '../../server/rollups/histogram.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';
import { burnIncidents } from './burn-fixture.js';
import { type AlertsFixture, alertsEstateYaml, MINUTE, openAlerts, run, SITES, T0 } from './fixture.js';

const tmp = useTmpDir();
let fixture: AlertsFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

/** A latency principle on the EPR: 95% of runs within 2 s, all hours, a 30-day budget (5% of runs). */
function estate(scope = '{ systems: [epr] }', extra = '') {
  return `${alertsEstateYaml}principles:
  - { id: epr-fast, title: EPR answers within 2 s, metric: latency, percentile: 95, target: 2s, window: 30d, hours: 24x7, scope: ${scope} }
${extra}alerts:
  rules:
    failures: { enabled: false }
    latency: { enabled: false }
`;
}

/** epr-login's runs each minute of [from, to) (minutes after T0) at these sites, taking `ms` each. */
function runs(sites: readonly string[], from: number, to: number, ms: number): RunRecord[] {
  const made: RunRecord[] = [];
  for (let m = from; m < to; m++)
    for (const site of sites) {
      const base = run('epr-login', site, m, true);
      made.push({ ...base, phases: { ...(base.phases as Phases), totalMs: ms } });
    }
  return made;
}

async function opened(yaml: string) {
  fixture = await openAlerts(tmp(), yaml, T0);
  return fixture;
}

/** The server started at T0; the clock at minute `now`, with these runs stored (and the burn read). */
async function at(f: AlertsFixture, now: number, stored: RunRecord[]) {
  await f.timers.advance(T0 + now * MINUTE - f.timers.now());
  for (let i = 0; i < stored.length; i += 500) await f.push(stored.slice(i, i + 500));
  await f.subsystem.engine.checkBurnRates();
}

/** Fast runs at every site from minute `from` to `to`, an hour's batch at a time, the burn read after each. */
async function fastUntil(f: AlertsFixture, from: number, to: number) {
  for (let m = from; m < to; m += 60)
    await at(f, Math.min(m + 60, to), runs(SITES, m, Math.min(m + 60, to), 300));
}

describe('the burn-rate rule on a latency principle', () => {
  it('an hour of slow answers at every site fires the fast pair for the owner; it resolves once runs are fast again', async () => {
    const f = await opened(estate());
    // 10 fast minutes, then 60 slow ones: over the last hour every run is over 2 s (20× a 5% budget).
    await at(f, 70, [...runs(SITES, 0, 10, 300), ...runs(SITES, 10, 70, 5_000)]);
    const [incident] = await burnIncidents(f);
    expect(incident?.grouping).toBe('burn:epr-fast');
    expect([incident?.organisation, incident?.role, incident?.severity]).toEqual([
      'riverside',
      'owner',
      'critical',
    ]);
    expect(incident?.title).toBe('EPR answers within 2 s: error budget burning at 20× over 1h (20× over 5m)');
    expect(f.notifier.to('riverside-it').map((m) => m.event)).toEqual(['opened']);

    // Fast again: the fast pair stops within 5 minutes. The slower pairs' long windows reach back before
    // the start, so the incident stays open until their short windows are clear: 6 hours at most.
    await at(f, 76, runs(SITES, 70, 76, 300));
    expect((await burnIncidents(f)).map((i) => i.grouping)).toEqual(['burn:epr-fast']);
    await fastUntil(f, 76, 70 + 6 * 60 + 1);
    expect(await burnIncidents(f)).toEqual([]);
    expect(f.notifier.to('riverside-it').map((m) => m.event)).toEqual(['opened', 'resolved']);
  });

  it('slow at one site only is that site’s host’s', async () => {
    const f = await opened(estate('{ sites: [marsh-lane] }'));
    await at(f, 70, [
      ...runs(SITES, 0, 10, 300),
      ...runs(['st-annes', 'canal-street', 'north-wing'], 10, 70, 300),
      ...runs(['marsh-lane'], 10, 70, 5_000),
    ]);
    const [incident] = await burnIncidents(f);
    expect([incident?.organisation, incident?.role, incident?.grouping]).toEqual([
      'eastfield',
      'host',
      'burn:epr-fast',
    ]);
    expect(f.notifier.to('eastfield-it').map((m) => m.event)).toEqual(['opened']);
  });

  it('at a start the last 6 hours of runs are read back: an hour of slow answers before it fires at once', async () => {
    const dir = tmp();
    // Stored while the alert rules were not running (a server without them, or one that stopped).
    const before = SqliteStores.open(join(dir, 'alerts.db'));
    await before.estate.syncEstate(estateFrom(estate()), T0);
    await before.results.recordRuns([...runs(SITES, 0, 10, 300), ...runs(SITES, 10, 70, 5_000)]);
    await before.close();
    fixture = await openAlerts(dir, estate(), T0 + 70 * MINUTE);
    await fixture.subsystem.engine.checkBurnRates();
    const [incident] = await burnIncidents(fixture);
    expect(incident?.title).toBe('EPR answers within 2 s: error budget burning at 20× over 1h (20× over 5m)');
  });

  it('a pair whose long window reaches before what was watched or read back does not fire', () => {
    const principle = estateFrom(estate()).principles[0] as Principle;
    const now = T0 + 10 * 24 * 60 * MINUTE;
    // Every run over the target in every window.
    const burning = new Map(
      pairsFor(principle).flatMap((pair) =>
        [pair.longMs, pair.shortMs].map(
          (ms) => [now - ms, { countedMs: 100, downMs: 100, badRuns: 100, whose: new Map() }] as const,
        ),
      ),
    );
    const fired = (watchedFrom: number) =>
      verdicts(principle, burning, now, 3, watchedFrom)
        .filter((v) => v.firing)
        .map((v) => v.pair.name);
    expect(fired(now - 6 * 60 * MINUTE)).toEqual(['1h', '6h']);
    expect(fired(now - 3 * 24 * 60 * MINUTE)).toEqual(['1h', '6h', '1d', '3d']);
    expect(fired(now - 30 * MINUTE)).toEqual([]);
  });

  it('an incident open at a stop stays open after the start until every pair is known to have stopped', async () => {
    const dir = tmp();
    fixture = await openAlerts(dir, estate(), T0);
    await at(fixture, 70, [...runs(SITES, 0, 10, 300), ...runs(SITES, 10, 70, 5_000)]);
    expect((await burnIncidents(fixture)).map((i) => i.grouping)).toEqual(['burn:epr-fast']);
    await fixture.close();
    fixture = await openAlerts(dir, estate(), T0 + 71 * MINUTE);
    const f = fixture;
    // Fast again since the start: after 10 minutes the fast pair is known to be clear, the slower not yet.
    await at(f, 81, runs(SITES, 71, 81, 300));
    expect((await burnIncidents(f)).map((i) => i.grouping)).toEqual(['burn:epr-fast']);
    // Six hours on, every pair's short window has been watched clear: it resolves.
    await fastUntil(f, 81, 71 + 6 * 60 + 1);
    expect(await burnIncidents(f)).toEqual([]);
  });

  it('runs inside a maintenance window over the system burn nothing', async () => {
    const window =
      'maintenance:\n  - { id: epr-upgrade, title: EPR upgrade, start: 2026-11-24T09:50, end: 2026-11-24T11:00, scope: { systems: [epr] } }\n';
    const f = await opened(estate('{ systems: [epr] }', window));
    await at(f, 70, [...runs(SITES, 0, 10, 300), ...runs(SITES, 10, 70, 5_000)]);
    expect(await burnIncidents(f, 'all')).toEqual([]);
  });

  it('a run is over the target as the principle’s figure reads it: by the middle of its histogram bucket', async () => {
    // The slowest whole millisecond whose bucket's middle is within 2 s: the next is over it.
    let within = 0;
    for (let ms = 1; ms <= 10_000; ms++) if (bucketMiddleMs(bucketOf(ms)) <= 2_000) within = ms;
    const f = await opened(estate());
    await at(f, 70, [...runs(SITES, 0, 10, 300), ...runs(SITES, 10, 70, within)]);
    expect(bucketMiddleMs(bucketOf(within + 1))).toBeGreaterThan(2_000);
    expect(await burnIncidents(f, 'all')).toEqual([]);
    await at(f, 130, runs(SITES, 70, 130, within + 1));
    expect((await burnIncidents(f)).map((i) => i.grouping)).toEqual(['burn:epr-fast']);
  });
});
