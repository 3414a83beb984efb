import { afterEach, describe } from 'vitest';
import type { RunRecord } from '../../runs/record.js';
import { useTmpDir } from '../helpers/tmp.js';
import { type AlertsFixture, alertsEstateYaml, MINUTE, openAlerts, run, SITES } from './fixture.js';
import { roundWaitCases } from './round-wait-cases.js';

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

describe('the latency rule waits for the rest of a round before a host’s incident', () => {
  roundWaitCases({
    opened,
    bad: (sites) => timed(sites, 10, 13, 5_000),
    good: (sites) => timed(sites, 10, 13, 200),
    incidents: async (f) =>
      (await f.store.incidents.list({ state: 'all', limit: 20 })).filter((i) => i.rule === 'latency'),
    host: 'latency-site:marsh-lane',
    owner: 'latency-system:epr',
  });
});
