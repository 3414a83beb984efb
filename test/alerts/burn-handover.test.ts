import { afterEach, describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/tmp.js';
import { burnEstate, burnIncidents, every5, N, NOW_MINUTE } from './burn-fixture.js';
import { type AlertsFixture, MINUTE, openAlerts, SITES } from './fixture.js';

const tmp = useTmpDir();
let fixture: AlertsFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const estateYaml = burnEstate('{ systems: [epr] }', '{}');

describe('a burn-rate incident follows whose minutes are burning', () => {
  it('a host’s slow burn overtaken by an outage everywhere is handed over to the system owner', async () => {
    fixture = await openAlerts(tmp(), estateYaml, N);
    const f = fixture;
    // Marsh Lane fails one run every 8 hours for three days: the 3-day pair burns, Eastfield's (host).
    const failures = new Set(Array.from({ length: 9 }, (_, k) => NOW_MINUTE - 180 - 480 * k));
    const runs = every5(SITES, 0, NOW_MINUTE, (s, m) => s === 'marsh-lane' && failures.has(m));
    for (let i = 0; i < runs.length; i += 500) await f.push(runs.slice(i, i + 500));
    await f.subsystem.engine.checkBurnRates();
    const [host] = await burnIncidents(f);
    expect(host).toMatchObject({ organisation: 'eastfield', role: 'host', severity: 'warning' });

    // Then an outage at every site from N: the fast pair fires, and its burnt time is Riverside's (the
    // owner's: down from every site). The incident is handed over, not raised for Eastfield.
    await f.push(every5(SITES, NOW_MINUTE, NOW_MINUTE + 10, () => true));
    await f.timers.advance(MINUTE);
    await f.subsystem.engine.checkBurnRates();
    const open = await burnIncidents(f);
    expect(open.map((i) => [i.organisation, i.role, i.severity, i.subject])).toEqual([
      ['riverside', 'owner', 'critical', { kind: 'system', id: 'epr' }],
    ]);
    const owner = open[0];
    expect(owner?.title).toBe('EPR available 99.9%: error budget burning at 16.7× over 1h (200× over 5m)');
    const [closed] = (await burnIncidents(f, 'all')).filter((i) => i.id === host?.id);
    expect(closed?.resolvedAt).toBe(N + MINUTE);
    expect(closed?.evidence.handedOver?.to).toEqual([
      { incident: owner?.id, organisation: 'riverside', role: 'owner', at: N + MINUTE },
    ]);
    expect(owner?.evidence.handedOver?.from).toEqual([
      { incident: host?.id, organisation: 'eastfield', role: 'host', at: N + MINUTE },
    ]);
    // Both timelines say so.
    const hostEvents = await f.store.incidents.events(host?.id as string);
    expect(hostEvents.map((e) => e.kind).filter((k) => k === 'escalated' || k === 'resolved')).toEqual([
      'escalated',
      'resolved',
    ]);
    expect(hostEvents.find((e) => e.kind === 'resolved')?.detail.why).toMatch(/^handed over/);
    const ownerEvents = await f.store.incidents.events(owner?.id as string);
    expect(ownerEvents.find((e) => e.kind === 'opened')?.detail).toMatchObject({
      handedOver: { from: { incident: host?.id, organisation: 'eastfield' } },
    });
    // Eastfield is told it is no longer theirs (nothing to acknowledge); Riverside gets the incident.
    expect(f.notifier.to('eastfield-it').map((m) => m.event)).toEqual(['opened', 'handed-over']);
    const handed = f.notifier.to('eastfield-it')[1];
    expect(handed?.alert.ackUrl).toBeUndefined();
    expect(handed?.alert.summary).toMatch(
      /No longer yours: most of .* is now Riverside Hospitals NHS Trust's/,
    );
    expect(f.notifier.to('riverside-it').map((m) => m.event)).toEqual(['opened']);
    expect(f.notifier.to('riverside-it')[0]?.alert.ackUrl).toMatch(/\/ack\?token=/);
  });
});
