import { afterEach, describe, expect, it } from 'vitest';
import { parseEstate } from '../../server/config/load.js';
import { useTmpDir } from '../helpers/tmp.js';
import { type AlertsFixture, alertsEstateYaml, MINUTE, minutes, openAlerts, SITES } from './fixture.js';
import { roundWaitCases } from './round-wait-cases.js';

const tmp = useTmpDir();
let fixture: AlertsFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const SECOND = 1_000;

/** Every site heard up at minute 0; the clock a little after minute 3, when minutes 1–3's batches come. */
async function opened(yaml = alertsEstateYaml, dir = tmp()) {
  fixture = await openAlerts(dir, yaml);
  await fixture.push(minutes(['epr-login'], SITES, 0, 1, true));
  await fixture.timers.advance(3 * MINUTE + 10 * SECOND);
  return fixture;
}

/** `site`'s batch (minutes 1–3 failing) waits for the others' when the server stops; back `after` later. */
async function restartedWhileWaiting(site: string, after: number) {
  const dir = tmp();
  const f = await opened(alertsEstateYaml, dir);
  await f.push(minutes(['epr-login'], [site], 1, 4, false));
  const stoppedAt = f.timers.now();
  await f.close();
  fixture = await openAlerts(dir, alertsEstateYaml, stoppedAt + after);
  return fixture;
}

/** Each site's agent sends its batch (minutes 1–3 failing) on its own, `apart` after the one before. */
async function sitesOneByOne(f: AlertsFixture, sites: readonly string[], apart: number) {
  for (const site of sites) {
    await f.push(minutes(['epr-login'], [site], 1, 4, false));
    await f.timers.advance(apart);
  }
}

const incidents = (f: AlertsFixture) => f.store.incidents.list({ state: 'all', limit: 10 });

describe('localisation waits for the rest of a round before a host’s incident', () => {
  roundWaitCases({
    opened: () => opened(),
    bad: (sites) => minutes(['epr-login'], sites, 1, 4, false),
    good: (sites) => minutes(['epr-login'], sites, 1, 4, true),
    incidents,
    host: 'site:marsh-lane',
    owner: 'system:epr',
  });

  it('sites’ batches of a system-wide outage arriving 5 s apart open only the owner’s incident', async () => {
    const f = await opened();
    await f.push(minutes(['epr-login'], ['st-annes'], 1, 4, false));
    // St Anne's alone so far, the others not heard since minute 0: it waits for their runs.
    expect(await incidents(f)).toEqual([]);
    await f.timers.advance(5 * SECOND);
    await sitesOneByOne(f, ['marsh-lane', 'canal-street', 'north-wing'], 5 * SECOND);
    const all = await incidents(f);
    expect(all.map((i) => [i.grouping, i.organisation, i.role])).toEqual([
      ['system:epr', 'riverside', 'owner'],
    ]);
    expect(all[0]?.title).toBe('Electronic patient record unreachable from 4 of 4 sites since 09:41');
    expect(f.notifier.sent.map((s) => [s.channelId, s.message.event])).toEqual([['riverside-it', 'opened']]);
  });

  it('with grace 0s, the first site’s batch opens its host’s incident, handed over when the others’ come', async () => {
    const f = await opened(`${alertsEstateYaml}alerts: { localisation: { grace: 0s } }\n`);
    await sitesOneByOne(f, ['marsh-lane', 'st-annes', 'canal-street', 'north-wing'], 5 * SECOND);
    const all = await incidents(f);
    expect(all.map((i) => [i.grouping, i.resolvedAt === null])).toEqual([
      ['system:epr', true],
      ['site:marsh-lane', false],
    ]);
    expect(all[1]?.evidence.handedOver?.to?.[0]?.incident).toBe(all[0]?.id);
    expect(f.notifier.to('eastfield-it').map((m) => m.event)).toEqual(['opened', 'handed-over']);
  });

  it('a wait under way when the server stops goes on after its start: the owner’s incident only', async () => {
    // Back 20 s later; the other sites' agents send the batches they held meanwhile.
    const f = await restartedWhileWaiting('st-annes', 20 * SECOND);
    expect(await incidents(f)).toEqual([]);
    await f.timers.advance(15 * SECOND);
    // Another system's failure (seen from Marsh Lane only so far) is placed meanwhile; St Anne's EPR series still waits.
    await f.push(minutes(['email-web'], ['marsh-lane'], 1, 4, false));
    expect((await incidents(f)).map((i) => i.grouping)).toEqual(['system:email']);
    await sitesOneByOne(f, ['marsh-lane', 'canal-street', 'north-wing'], 5 * SECOND);
    const epr = (await incidents(f)).filter((i) => i.title.startsWith('Electronic patient record'));
    expect(epr.map((i) => [i.grouping, i.organisation, i.role])).toEqual([
      ['system:epr', 'riverside', 'owner'],
    ]);
    expect(f.notifier.to('riverside-it').map((m) => m.event)).toEqual(['opened']);
  });

  it('after a start, a resumed wait that the others never answer opens the host’s incident one grace on', async () => {
    const f = await restartedWhileWaiting('marsh-lane', 5 * MINUTE);
    const startedAt = f.timers.now();
    await f.timers.advance(45 * SECOND);
    expect(await incidents(f)).toEqual([]);
    await f.timers.advance(30 * SECOND);
    const all = await incidents(f);
    expect(all.map((i) => [i.grouping, i.organisation])).toEqual([['site:marsh-lane', 'eastfield']]);
    expect(all[0]?.openedAt).toBeGreaterThanOrEqual(startedAt + MINUTE);
    expect(all[0]?.openedAt).toBeLessThanOrEqual(startedAt + MINUTE + 15 * SECOND);
  });

  it('check-config takes a duration up to 10m, or 0s for none, and names a bad one', () => {
    const errors = (grace: string) => {
      const result = parseEstate(
        `${alertsEstateYaml}alerts:\n  localisation: { grace: ${grace} }\n`,
        'estate.yaml',
        {},
      );
      return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
    };
    expect(errors('0s')).toEqual([]);
    expect(errors('30s')).toEqual([]);
    expect(errors('2x')).toEqual([
      expect.stringMatching(/^\d+:\d+: .*invalid duration '2x'.*\(or 0s for none\)/),
    ]);
    expect(errors('1h')).toEqual([expect.stringMatching(/must be at most 10m, not 1h/)]);
  });
});
