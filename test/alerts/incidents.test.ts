import { afterEach, describe, expect, it } from 'vitest';
import { estateFrom } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';
import { type AlertsFixture, CHECKS, MINUTE, minutes, openAlerts, run, SITES, T0 } from './fixture.js';

const tmp = useTmpDir();
let fixture: AlertsFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function open(yaml?: string) {
  fixture = await openAlerts(tmp(), yaml);
  return fixture;
}

/** Runs minute by minute, as the sites' agents would send them. */
async function each(f: AlertsFixture, runs: ReturnType<typeof minutes>) {
  const byMinute = new Map<number, typeof runs>();
  for (const r of runs) byMinute.set(r.startedAt, [...(byMinute.get(r.startedAt) ?? []), r]);
  for (const [, batch] of [...byMinute].sort((a, b) => a[0] - b[0])) await f.push(batch);
}

const others = SITES.filter((s) => s !== 'marsh-lane');

describe('incidents: who is told', () => {
  it('a check failing at one site of four is one incident for that site’s host, not the system’s owner', async () => {
    const f = await open();
    await each(f, [
      ...minutes(['epr-login'], ['marsh-lane'], 0, 3, false),
      ...minutes(['epr-login'], others, 0, 3, true),
    ]);
    const open_ = await f.store.incidents.list({ state: 'open', limit: 10 });
    expect(open_).toHaveLength(1);
    expect(open_[0]).toMatchObject({
      organisation: 'eastfield',
      role: 'host',
      subject: { kind: 'site', id: 'marsh-lane' },
    });
    expect(open_[0]?.title).toBe('Marsh Lane Centre: Electronic patient record unreachable since 09:40');
    expect(f.notifier.to('eastfield-it').map((m) => m.event)).toEqual(['opened']);
    expect(f.notifier.to('riverside-it')).toEqual([]);
    const message = f.notifier.to('eastfield-it')[0];
    expect(message?.idempotencyKey).toBe(`${open_[0]?.id}:opened:eastfield-it`);
    expect(message?.alert).toMatchObject({
      responsible: { organisation: 'eastfield', role: 'host' },
      sites: ['marsh-lane'],
      checks: ['epr-login'],
      startedAt: new Date(T0).toISOString(),
      errorClasses: ['timeout'],
      firstFailure: { checkId: 'epr-login', vantagePoint: 'marsh-lane', errorClass: 'timeout' },
      url: `https://vantage.example.org/alerts/${open_[0]?.id}`,
    });
    expect(message?.alert.ackUrl).toMatch(/\/alerts\/\d+\/ack\?token=\d+\.[\w-]{43}$/);
  });

  it('a check failing at every site is one incident for the system’s owner, and no host is told', async () => {
    const f = await open();
    await each(f, minutes(['epr-login'], SITES, 0, 3, false));
    const open_ = await f.store.incidents.list({ state: 'open', limit: 10 });
    expect(open_).toHaveLength(1);
    expect(open_[0]).toMatchObject({
      organisation: 'riverside',
      role: 'owner',
      subject: { kind: 'system', id: 'epr' },
    });
    expect(open_[0]?.title).toBe('Electronic patient record unreachable from 4 of 4 sites since 09:40');
    expect(f.notifier.to('riverside-it').map((m) => m.event)).toEqual(['opened']);
    expect(f.notifier.to('eastfield-it')).toEqual([]);
    expect(f.notifier.to('canal-it')).toEqual([]);
    const members = await f.store.incidents.members(open_[0]?.id as string);
    expect(members.map((m) => m.vantagePoint).sort()).toEqual([...SITES].sort());
  });

  it('two sites of four failing is half: the owner’s, as the principles count it', async () => {
    const f = await open();
    await each(f, [
      ...minutes(['epr-login'], ['marsh-lane', 'canal-street'], 0, 3, false),
      ...minutes(['epr-login'], ['st-annes', 'north-wing'], 0, 3, true),
    ]);
    const open_ = await f.store.incidents.list({ state: 'open', limit: 10 });
    expect(open_.map((i) => [i.organisation, i.role])).toEqual([['riverside', 'owner']]);
  });

  it('a link down at one site failing every system there is one incident for its host', async () => {
    const f = await open();
    await each(f, [...minutes(CHECKS, ['marsh-lane'], 0, 4, false), ...minutes(CHECKS, others, 0, 4, true)]);
    const open_ = await f.store.incidents.list({ state: 'open', limit: 10 });
    expect(open_).toHaveLength(1);
    expect(open_[0]?.title).toBe('Marsh Lane Centre: 3 systems unreachable since 09:40');
    expect(f.notifier.sent.map((s) => [s.channelId, s.message.event])).toEqual([['eastfield-it', 'opened']]);
    const members = await f.store.incidents.members(open_[0]?.id as string);
    expect(members.map((m) => m.checkId).sort()).toEqual([...CHECKS].sort());
    // Two of the three come back: the incident says what it still covers.
    await each(f, minutes(['email-web', 'shared-record'], ['marsh-lane'], 4, 6, true));
    const [still] = await f.store.incidents.list({ state: 'open', limit: 10 });
    expect(still?.title).toBe('Marsh Lane Centre: Electronic patient record unreachable since 09:40');
  });

  it('a host’s incident that spreads past half is handed over to the owner, and both timelines say so', async () => {
    const f = await open();
    await each(f, [
      ...minutes(['epr-login'], ['marsh-lane'], 0, 3, false),
      ...minutes(['epr-login'], others, 0, 3, true),
    ]);
    await each(f, [...minutes(['epr-login'], SITES, 3, 6, false)]);
    const all = await f.store.incidents.list({ state: 'all', limit: 10 });
    const host = all.find((i) => i.role === 'host');
    const owner = all.find((i) => i.role === 'owner');
    expect(all).toHaveLength(2);
    expect(owner).toMatchObject({ organisation: 'riverside', grouping: 'system:epr', resolvedAt: null });
    expect(host).toMatchObject({ organisation: 'eastfield', grouping: 'site:marsh-lane' });
    expect(host?.resolvedAt).not.toBeNull();
    expect(host?.evidence.handedOver?.to).toMatchObject([{ incident: owner?.id, organisation: 'riverside' }]);
    expect(owner?.evidence.handedOver?.from).toMatchObject([
      { incident: host?.id, organisation: 'eastfield' },
    ]);
    const hostEvents = await f.store.incidents.events(host?.id as string);
    expect(hostEvents.find((e) => e.kind === 'escalated')?.detail).toMatchObject({
      to: { incident: owner?.id, organisation: 'riverside', role: 'owner' },
      handedOver: { to: { incident: owner?.id } },
    });
    expect(hostEvents.find((e) => e.kind === 'resolved')?.detail.why).toMatch(/^handed over/);
    const ownerEvents = await f.store.incidents.events(owner?.id as string);
    expect(ownerEvents.find((e) => e.kind === 'opened')?.detail).toMatchObject({
      handedOver: { from: { incident: host?.id, organisation: 'eastfield' } },
    });
    expect(f.notifier.sent.map((s) => [s.channelId, s.message.event])).toEqual([
      ['eastfield-it', 'opened'],
      ['riverside-it', 'opened'],
      ['eastfield-it', 'handed-over'],
    ]);
    // The host hears it is no longer theirs, and has nothing left to acknowledge.
    const told = f.notifier.to('eastfield-it')[1];
    expect(told?.alert.ackUrl).toBeUndefined();
    expect(told?.alert.summary).toMatch(/No longer yours: handed to Riverside Hospitals NHS Trust/);
    expect(told?.alert.handedOverTo).toEqual([
      {
        incident: owner?.id,
        organisation: 'riverside',
        organisationName: 'Riverside Hospitals NHS Trust',
        url: `https://vantage.example.org/alerts/${owner?.id}`,
      },
    ]);
    expect(f.notifier.to('riverside-it')[0]?.alert.summary).toMatch(/Handed over by Eastfield/);
  });

  it('copies every message to the commissioner when the estate asks', async () => {
    const f = await open(
      `${(await import('./fixture.js')).alertsEstateYaml}alerts: { copyCommissioner: true }\n`,
    );
    await each(f, minutes(['epr-login'], SITES, 0, 3, false));
    expect(f.notifier.sent.map((s) => s.channelId).sort()).toEqual(['icb-team', 'riverside-it']);
  });

  it('routes keep a channel to the rules and severities it names', async () => {
    const f = await open(
      `${(await import('./fixture.js')).alertsEstateYaml}alerts: { routes: [{ channel: riverside-it, severities: [warning] }] }\n`,
    );
    await each(f, minutes(['epr-login'], SITES, 0, 3, false));
    expect(await f.store.incidents.list({ state: 'open', limit: 10 })).toHaveLength(1);
    expect(f.notifier.sent).toEqual([]);
  });
});

describe('incidents: thresholds', () => {
  it('flapping is held back: fail, fail, up, fail… never opens at 3 in a row', async () => {
    const f = await open();
    const flap = (m: number) => m % 3 === 2;
    await each(f, minutes(['epr-login'], SITES, 0, 30, flap));
    expect(await f.store.incidents.list({ state: 'all', limit: 10 })).toEqual([]);
    await each(f, minutes(['epr-login'], SITES, 30, 33, false));
    expect(await f.store.incidents.list({ state: 'open', limit: 10 })).toHaveLength(1);
  });

  it('recovers after two up runs in a row, not one; a failure between starts the count again', async () => {
    const f = await open();
    await each(f, minutes(['epr-login'], SITES, 0, 3, false));
    await each(f, minutes(['epr-login'], SITES, 3, 4, true));
    await each(f, minutes(['epr-login'], SITES, 4, 5, false));
    await each(f, minutes(['epr-login'], SITES, 5, 6, true));
    expect(await f.store.incidents.list({ state: 'open', limit: 10 })).toHaveLength(1);
    await each(f, minutes(['epr-login'], SITES, 6, 7, true));
    const all = await f.store.incidents.list({ state: 'all', limit: 10 });
    expect(all).toHaveLength(1);
    expect(all[0]?.resolvedAt).toBe(T0 + 6 * MINUTE);
    expect(f.notifier.to('riverside-it').map((m) => m.event)).toEqual(['opened', 'resolved']);
    expect(f.notifier.to('riverside-it')[1]?.alert.resolvedAt).toBe(new Date(T0 + 6 * MINUTE).toISOString());
    expect(f.notifier.to('riverside-it')[1]?.alert.ackUrl).toBeUndefined();
  });

  it('an incident covering several sites resolves only once every one has recovered', async () => {
    const f = await open();
    await each(f, minutes(['epr-login'], SITES, 0, 3, false));
    await each(f, [
      ...minutes(['epr-login'], others, 3, 5, true),
      ...minutes(['epr-login'], ['marsh-lane'], 3, 5, false),
    ]);
    expect(await f.store.incidents.list({ state: 'open', limit: 10 })).toHaveLength(1);
    await each(f, minutes(['epr-login'], ['marsh-lane'], 5, 7, true));
    expect(await f.store.incidents.list({ state: 'open', limit: 10 })).toEqual([]);
  });

  it('a backlog arriving late, out of order, is counted in run order and marked so', async () => {
    const f = await open();
    await each(f, minutes(['epr-login'], others, 0, 10, true));
    await f.timers.advance(40 * MINUTE);
    const backlog = minutes(['epr-login'], ['marsh-lane'], 0, 10, (m) => m >= 4).reverse();
    await f.push(backlog);
    // Minutes 0–3 failed: met at minute 2, recovered at minute 5 (two up runs), all in the backlog: an
    // incident opened and resolved as it happened, marked as from a backlog.
    const past = await f.store.incidents.list({ state: 'all', limit: 10 });
    expect(past).toHaveLength(1);
    expect(past[0]).toMatchObject({
      organisation: 'eastfield',
      startedAt: T0,
      resolvedAt: T0 + 5 * MINUTE,
      backlogReceivedAt: T0 + 40 * MINUTE,
    });
    expect(f.notifier.sent.map((s) => [s.message.event, s.message.alert.fromBacklog?.receivedAt])).toEqual([
      ['opened', new Date(T0 + 40 * MINUTE).toISOString()],
      ['resolved', new Date(T0 + 40 * MINUTE).toISOString()],
    ]);
    const later = minutes(['epr-login'], ['marsh-lane'], 10, 20, false).reverse();
    await f.timers.advance(20 * MINUTE);
    await f.push(later);
    const incidents = await f.store.incidents.list({ state: 'open', limit: 10 });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.startedAt).toBe(T0 + 10 * MINUTE);
    expect(incidents[0]?.backlogReceivedAt).toBe(T0 + 60 * MINUTE);
    expect(f.notifier.sent[2]?.message.alert.fromBacklog).toEqual({
      receivedAt: new Date(T0 + 60 * MINUTE).toISOString(),
    });
  });
});

describe('incidents: restarts and maintenance', () => {
  it('a restart keeps open incidents and their counters: nothing reopens, nothing is forgotten', async () => {
    const dir = tmp();
    fixture = await openAlerts(dir);
    await each(fixture, minutes(['epr-login'], SITES, 0, 3, false));
    const [before] = await fixture.store.incidents.list({ state: 'open', limit: 10 });
    await fixture.close();
    fixture = await openAlerts(dir, undefined, T0 + 3 * MINUTE);
    await each(fixture, minutes(['epr-login'], SITES, 3, 6, false));
    expect(await fixture.store.incidents.list({ state: 'all', limit: 10 })).toEqual([before]);
    expect(fixture.notifier.sent).toEqual([]);
    // One up run before the restart and one after make the two that recover it.
    await each(fixture, minutes(['epr-login'], SITES, 6, 7, true));
    await fixture.close();
    fixture = await openAlerts(dir, undefined, T0 + 7 * MINUTE);
    await each(fixture, minutes(['epr-login'], SITES, 7, 8, true));
    const [after] = await fixture.store.incidents.list({ state: 'all', limit: 10 });
    expect(after?.id).toBe(before?.id);
    expect(after?.resolvedAt).toBe(T0 + 7 * MINUTE);
    expect(fixture.notifier.sent.map((s) => s.message.event)).toEqual(['resolved']);
  });

  it('runs stored just before a stop, but not yet evaluated, are evaluated at the next start', async () => {
    const dir = tmp();
    fixture = await openAlerts(dir);
    await each(fixture, minutes(['epr-login'], SITES, 0, 2, false));
    // Stored, and the process gone before the rules saw them (the store itself, not the publishing one).
    await fixture.store.results.recordRuns(minutes(['epr-login'], SITES, 2, 3, false));
    expect(await fixture.store.incidents.list({ state: 'all', limit: 10 })).toEqual([]);
    await fixture.close();
    fixture = await openAlerts(dir, undefined, T0 + 3 * MINUTE);
    const [incident] = await fixture.store.incidents.list({ state: 'open', limit: 10 });
    expect(incident).toMatchObject({ organisation: 'riverside', startedAt: T0, backlogReceivedAt: null });
    expect(fixture.notifier.sent.map((s) => s.message.event)).toEqual(['opened']);
  });

  it('an opening the outbox did not take is handed over again at the next start, with the same key', async () => {
    const dir = tmp();
    fixture = await openAlerts(dir);
    fixture.notifier.notify = async () => {
      throw new Error('the outbox is not taking messages');
    };
    await each(fixture, minutes(['epr-login'], SITES, 0, 3, false));
    const [incident] = await fixture.store.incidents.list({ state: 'open', limit: 10 });
    const events = await fixture.store.incidents.events(incident?.id as string);
    expect(events.map((e) => [e.kind, e.detail.handedOver])).toEqual([
      ['opened', undefined],
      ['notified', false],
    ]);
    await fixture.close();
    fixture = await openAlerts(dir, undefined, T0 + 5 * MINUTE);
    expect(
      fixture.notifier.sent.map((s) => [s.channelId, s.message.event, s.message.idempotencyKey]),
    ).toEqual([['riverside-it', 'opened', `${incident?.id}:opened:riverside-it`]]);
    await fixture.close();
    fixture = await openAlerts(dir, undefined, T0 + 6 * MINUTE);
    expect(fixture.notifier.sent).toEqual([]);
  });

  it('an incident opened inside a maintenance window is marked so and nobody is told', async () => {
    const yaml = `${(await import('./fixture.js')).alertsEstateYaml}maintenance:
  - { id: marsh-patching, title: Marsh Lane patching, start: 2026-11-24T09:30, end: 2026-11-24T11:00, scope: { sites: [marsh-lane] } }
`;
    const f = await open(yaml);
    await each(f, [...minutes(CHECKS, ['marsh-lane'], 0, 4, false), ...minutes(CHECKS, others, 0, 4, true)]);
    const [incident] = await f.store.incidents.list({ state: 'open', limit: 10 });
    expect(incident?.inMaintenance).toBe(true);
    await each(f, minutes(CHECKS, ['marsh-lane'], 4, 6, true));
    expect((await f.store.incidents.list({ state: 'all', limit: 10 }))[0]?.resolvedAt).not.toBeNull();
    expect(f.notifier.sent).toEqual([]);
  });

  it('what the estate no longer has stops counting, and its incidents close', async () => {
    const base = (await import('./fixture.js')).alertsEstateYaml;
    const f = await open();
    await each(f, [
      ...minutes(['epr-login'], ['marsh-lane'], 0, 3, false),
      ...minutes(['epr-login'], others, 0, 3, true),
    ]);
    const [incident] = await f.store.incidents.list({ state: 'open', limit: 10 });
    const without = base.replace(
      'target: https://epr.example.org/, every: 1m, from: [st-annes, marsh-lane, canal-street, north-wing]',
      'target: https://epr.example.org/, every: 1m, from: [st-annes, canal-street, north-wing]',
    );
    expect(without).not.toBe(base);
    await f.subsystem.apply(estateFrom(without));
    expect(await f.store.incidents.list({ state: 'open', limit: 10 })).toEqual([]);
    const events = await f.store.incidents.events(incident?.id as string);
    expect(events.at(-2)).toMatchObject({
      kind: 'resolved',
      detail: { why: 'what it covered was taken out of the estate' },
    });
    expect(await f.store.incidents.series()).not.toContainEqual(
      expect.objectContaining({ vantagePoint: 'marsh-lane' }),
    );
  });

  it('skipped runs count for nothing', async () => {
    const f = await open();
    await f.push([run('epr-login', 'marsh-lane', 0, false), run('epr-login', 'marsh-lane', 1, false)]);
    await f.push([{ ...run('epr-login', 'marsh-lane', 2, true), state: 'skipped' }]);
    expect(await f.store.incidents.list({ state: 'all', limit: 10 })).toEqual([]);
    await f.push([run('epr-login', 'marsh-lane', 3, false)]);
    expect(await f.store.incidents.list({ state: 'open', limit: 10 })).toHaveLength(1);
  });
});
