import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../runs/record.js';
import { useTmpDir } from '../helpers/tmp.js';
import { type AlertsFixture, alertsEstateYaml, MINUTE, openAlerts, run, SITES } from './fixture.js';

const tmp = useTmpDir();
let fixture: AlertsFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const SECOND = 1_000;

/** epr-login's up runs of minutes [from, to) at these sites, each taking `ms`. */
function timed(sites: readonly string[], from: number, to: number, ms: number): RunRecord[] {
  const runs: RunRecord[] = [];
  for (let m = from; m < to; m++)
    for (const site of sites) {
      const up = run('epr-login', site, m, true);
      runs.push({ ...up, phases: { ...(up.phases as NonNullable<RunRecord['phases']>), totalMs: ms } });
    }
  return runs;
}

/** Every site fast for minutes 0–9; the clock a little after minute 12, when minutes 10–12's batches come. */
async function opened() {
  fixture = await openAlerts(
    tmp(),
    `${alertsEstateYaml}alerts:\n  rules:\n    failures: { enabled: false }\n    latency: { over: 3s, for: 10m }\n`,
  );
  await fixture.push(timed(SITES, 0, 10, 200));
  await fixture.timers.advance(12 * MINUTE + 10 * SECOND);
  return fixture;
}

const latencyIncidents = async (f: AlertsFixture) =>
  (await f.store.incidents.list({ state: 'all', limit: 20 })).filter((i) => i.rule === 'latency');

describe('the latency rule waits for the rest of a round before a host’s incident', () => {
  it('sites’ batches of a system-wide slowdown arriving 5 s apart open only the owner’s incident', async () => {
    const f = await opened();
    for (const site of SITES) {
      await f.push(timed([site], 10, 13, 5_000));
      if (site === SITES[0]) expect(await latencyIncidents(f)).toEqual([]);
      await f.timers.advance(5 * SECOND);
    }
    const all = await latencyIncidents(f);
    expect(all.map((i) => [i.grouping, i.organisation, i.role])).toEqual([
      ['latency-system:epr', 'riverside', 'owner'],
    ]);
    expect(f.notifier.to('eastfield-it')).toEqual([]);
    expect(f.notifier.to('canal-it')).toEqual([]);
  });

  it('the others answering in time in the same round open the host’s incident as soon as they arrive', async () => {
    const f = await opened();
    await f.push(timed(['marsh-lane'], 10, 13, 5_000));
    expect(await latencyIncidents(f)).toEqual([]);
    await f.timers.advance(5 * SECOND);
    await f.push(timed(['st-annes', 'canal-street', 'north-wing'], 10, 13, 200));
    const all = await latencyIncidents(f);
    expect(all.map((i) => [i.grouping, i.organisation])).toEqual([['latency-site:marsh-lane', 'eastfield']]);
    expect(all[0]?.openedAt).toBe(f.timers.now());
  });

  it('when the others send nothing, the grace runs out and the host’s incident opens', async () => {
    const f = await opened();
    await f.push(timed(['marsh-lane'], 10, 13, 5_000));
    await f.timers.advance(30 * SECOND);
    expect(await latencyIncidents(f)).toEqual([]);
    // The grace is the check's interval (1m); the follow-up timer looks every 15 s.
    await f.timers.advance(45 * SECOND);
    const all = await latencyIncidents(f);
    expect(all.map((i) => [i.grouping, i.organisation])).toEqual([['latency-site:marsh-lane', 'eastfield']]);
    expect(f.notifier.to('eastfield-it').map((m) => m.event)).toEqual(['opened']);
  });

  it('a backlog never waits: late results open the host’s incident at once', async () => {
    const f = await opened();
    await f.timers.advance(40 * MINUTE);
    await f.push(timed(['marsh-lane'], 10, 13, 5_000));
    expect((await latencyIncidents(f)).map((i) => i.grouping)).toEqual(['latency-site:marsh-lane']);
  });
});
