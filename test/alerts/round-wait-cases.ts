import { expect, it } from 'vitest';
import type { RunRecord } from '../../runs/record.js';
import type { IncidentRow } from '../../server/store/incidents.js';
import { type AlertsFixture, MINUTE, SITES } from './fixture.js';

const SECOND = 1_000;

/** A rule that waits for the rest of a round before a host's incident, as its tests drive it. */
export interface RoundRule {
  /** The rules running, every site heard in time before the round; the clock just after its batches are due. */
  opened(): Promise<AlertsFixture>;
  /** The round's batch from these sites: bad enough to meet the rule. */
  bad(sites: readonly string[]): RunRecord[];
  /** The round's batch from these sites: in order. */
  good(sites: readonly string[]): RunRecord[];
  /** The rule's incidents, open or not. */
  incidents(f: AlertsFixture): Promise<IncidentRow[]>;
  /** Its groupings for Marsh Lane's host and for the EPR's owner. */
  host: string;
  owner: string;
}

/** The cases every such rule must pass: one owner's incident for a system-wide fault, and no wait too long. */
export function roundWaitCases(rule: RoundRule): void {
  it('sites’ batches of a system-wide fault arriving 5 s apart open only the owner’s incident', async () => {
    const f = await rule.opened();
    for (const site of SITES) {
      await f.push(rule.bad([site]));
      // The first site alone so far, the others not heard this round: it waits for their runs.
      if (site === SITES[0]) expect(await rule.incidents(f)).toEqual([]);
      await f.timers.advance(5 * SECOND);
    }
    const all = await rule.incidents(f);
    expect(all.map((i) => [i.grouping, i.organisation, i.role])).toEqual([
      [rule.owner, 'riverside', 'owner'],
    ]);
    expect(f.notifier.to('riverside-it').map((m) => m.event)).toEqual(['opened']);
    expect(f.notifier.to('eastfield-it')).toEqual([]);
    expect(f.notifier.to('canal-it')).toEqual([]);
  });

  it('the others answering in order in the same round open the host’s incident as soon as they arrive', async () => {
    const f = await rule.opened();
    await f.push(rule.bad(['marsh-lane']));
    expect(await rule.incidents(f)).toEqual([]);
    await f.timers.advance(5 * SECOND);
    await f.push(rule.good(['st-annes', 'canal-street', 'north-wing']));
    const all = await rule.incidents(f);
    expect(all.map((i) => [i.grouping, i.organisation])).toEqual([[rule.host, 'eastfield']]);
    expect(all[0]?.openedAt).toBe(f.timers.now());
  });

  it('when the others send nothing, the grace runs out and the host’s incident opens', async () => {
    const f = await rule.opened();
    await f.push(rule.bad(['marsh-lane']));
    await f.timers.advance(30 * SECOND);
    expect(await rule.incidents(f)).toEqual([]);
    // The grace is the check's interval (1m); the follow-up timer looks every 15 s.
    await f.timers.advance(45 * SECOND);
    const all = await rule.incidents(f);
    expect(all.map((i) => [i.grouping, i.organisation])).toEqual([[rule.host, 'eastfield']]);
    expect(f.notifier.to('eastfield-it').map((m) => m.event)).toEqual(['opened']);
  });

  it('a backlog never waits: late results open the host’s incident at once', async () => {
    const f = await rule.opened();
    await f.timers.advance(40 * MINUTE);
    await f.push(rule.bad(['marsh-lane']));
    expect((await rule.incidents(f)).map((i) => i.grouping)).toEqual([rule.host]);
  });
}
