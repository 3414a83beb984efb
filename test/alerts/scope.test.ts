import { afterEach, describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/tmp.js';
import { type AlertsFixture, MINUTE, minutes, openAlerts, SITES, T0 } from './fixture.js';

const tmp = useTmpDir();
let fixture: AlertsFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

/** Runs minute by minute, as the sites' agents would send them. */
async function each(f: AlertsFixture, runs: ReturnType<typeof minutes>) {
  const byMinute = new Map<number, typeof runs>();
  for (const r of runs) byMinute.set(r.startedAt, [...(byMinute.get(r.startedAt) ?? []), r]);
  for (const [, batch] of [...byMinute].sort((a, b) => a[0] - b[0])) await f.push(batch);
}

/** scr-api runs from three of the four sites; shared-record, the same system's other check, from all four. */
const SCR_SITES = ['st-annes', 'marsh-lane', 'canal-street'];

async function onlyIncident(f: AlertsFixture) {
  const all = await f.store.incidents.list({ state: 'all', limit: 10 });
  expect(all).toHaveLength(1);
  const incident = all[0] as (typeof all)[number];
  return { incident, events: await f.store.incidents.events(incident.id) };
}

async function ownersIncident(f: AlertsFixture) {
  const open = await f.store.incidents.list({ state: 'open', limit: 10 });
  expect(open.map((i) => i.role)).toEqual(['owner']);
  const incident = open[0] as (typeof open)[number];
  return { incident, events: await f.store.incidents.events(incident.id) };
}

describe('an incident’s scope follows what fails', () => {
  it('grows from one site to all three of its check’s: title, sites and a changed entry follow, counted out of the check’s own places', async () => {
    fixture = await openAlerts(tmp());
    const f = fixture;
    // Every site heard up first, so one site failing alone is its host's.
    await each(f, minutes(['scr-api'], SCR_SITES, 0, 1, true));
    await each(f, [
      ...minutes(['scr-api'], ['st-annes'], 1, 4, false),
      ...minutes(['scr-api'], ['marsh-lane', 'canal-street'], 1, 4, true),
    ]);
    let { incident } = await onlyIncident(f);
    expect(incident).toMatchObject({ organisation: 'riverside', role: 'host', grouping: 'site:st-annes' });
    // Marsh Lane too: 2 of 3 is at least half, the owner's (handed over).
    await each(f, [
      ...minutes(['scr-api'], ['st-annes', 'marsh-lane'], 4, 7, false),
      ...minutes(['scr-api'], ['canal-street'], 4, 7, true),
    ]);
    ({ incident } = await ownersIncident(f));
    // Out of the 3 sites scr-api runs from, not the 4 of the system's other check.
    expect(incident.title).toBe('Shared care record unreachable from 2 of 3 sites since 09:41');
    // Canal Street too: the title and the timeline say so.
    await each(f, minutes(['scr-api'], SCR_SITES, 7, 10, false));
    const grown = await ownersIncident(f);
    expect(grown.incident.title).toBe('Shared care record unreachable from 3 of 3 sites since 09:41');
    const changed = grown.events.filter((e) => e.kind === 'changed').at(-1);
    expect(changed?.detail).toMatchObject({
      title: 'Shared care record unreachable from 3 of 3 sites since 09:41',
      joined: [{ checkId: 'scr-api', vantagePoint: 'canal-street' }],
    });
    // No message for a scope that grew (nor a storm of them): the owner heard of it once, opened.
    // (Riverside both hosts St Anne's and owns the system: it hears its host's incident handed over.)
    expect(f.notifier.to('riverside-it').map((m) => m.event)).toEqual(['opened', 'opened', 'handed-over']);
    expect(f.notifier.to('riverside-it')[1]?.alert.id).toBe(incident.id);
    // The next message the channels get carries the scope as it is now.
    const ack = await f.store.incidents.acknowledge(incident.id, T0 + 11 * MINUTE, 'sam', 'api');
    if (!ack.ok) throw new Error('not acknowledged');
    await f.subsystem.engine.acknowledged(ack.incident);
    const told = f.notifier.to('riverside-it').at(-1);
    expect(told?.event).toBe('acknowledged');
    expect(told?.alert.title).toBe('Shared care record unreachable from 3 of 3 sites since 09:41');
    expect(told?.alert.sites).toEqual(['canal-street', 'marsh-lane', 'st-annes']);
  });

  it('narrows as sites recover: a changed entry names who left, and the title counts again', async () => {
    fixture = await openAlerts(tmp());
    const f = fixture;
    await each(f, minutes(['epr-login'], SITES, 0, 3, false));
    expect((await onlyIncident(f)).incident.title).toBe(
      'Electronic patient record unreachable from 4 of 4 sites since 09:40',
    );
    await each(f, [
      ...minutes(['epr-login'], ['north-wing'], 3, 5, true),
      ...minutes(['epr-login'], ['st-annes', 'marsh-lane', 'canal-street'], 3, 5, false),
    ]);
    const { incident, events } = await onlyIncident(f);
    expect(incident.title).toBe('Electronic patient record unreachable from 3 of 4 sites since 09:40');
    expect(events.filter((e) => e.kind === 'changed').map((e) => e.detail)).toEqual([
      {
        why: 'recovered there',
        title: 'Electronic patient record unreachable from 3 of 4 sites since 09:40',
        left: [{ checkId: 'epr-login', vantagePoint: 'north-wing' }],
      },
    ]);
  });

  it('a host’s incident whose one system moves to the owner says what it still covers', async () => {
    fixture = await openAlerts(tmp());
    const f = fixture;
    const others = SITES.filter((s) => s !== 'canal-street');
    await each(f, minutes(['epr-login', 'email-web'], SITES, 0, 1, true));
    // Canal Street's link: both systems fail there alone, one incident for its host.
    await each(f, [
      ...minutes(['epr-login', 'email-web'], ['canal-street'], 1, 4, false),
      ...minutes(['epr-login', 'email-web'], others, 1, 4, true),
    ]);
    const host = (await onlyIncident(f)).incident;
    expect(host.title).toBe('Canal Street Surgery: 2 systems unreachable since 09:41');
    // Then email fails everywhere: it is the owner's, and the host's incident keeps the EPR alone.
    await each(f, [
      ...minutes(['epr-login'], ['canal-street'], 4, 7, false),
      ...minutes(['epr-login'], others, 4, 7, true),
      ...minutes(['email-web'], SITES, 4, 7, false),
    ]);
    const after = await f.store.incidents.list({ state: 'open', limit: 10 });
    const still = after.find((i) => i.id === host.id);
    expect(still?.title).toBe('Canal Street Surgery: Electronic patient record unreachable since 09:41');
    const changed = (await f.store.incidents.events(host.id)).filter((e) => e.kind === 'changed');
    expect(changed.at(-1)?.detail).toMatchObject({
      why: 'moved to the system owner’s incident',
      left: [{ checkId: 'email-web', vantagePoint: 'canal-street' }],
    });
    const owner = after.find((i) => i.grouping === 'system:email');
    expect(owner?.title).toBe('Email unreachable from 4 of 4 sites since 09:41');
  });
});
