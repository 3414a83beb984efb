import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Estate } from '../../server/config/schema.js';
import { emptyTally, figureOf, merge, type Tally } from '../../server/principles/figures.js';
import { type Judged, rollUp } from '../../server/principles/groups.js';

const MIN = 60_000;
const horizon = { remainingMs: 0, recentMs: 86_400_000 };
const tallying = { merge, judge: (tally: Tally) => figureOf(tally, 99.5, horizon) };

/** Four organisations, six sites (one the central server, hosted by none), four systems. */
const ORGANISATIONS = ['org-a', 'org-b', 'org-c', 'org-d'];
const arbitraryEstate = fc.record({
  hosts: fc.array(fc.option(fc.constantFrom(...ORGANISATIONS), { nil: undefined }), {
    minLength: 6,
    maxLength: 6,
  }),
  owners: fc.array(fc.constantFrom(...ORGANISATIONS), { minLength: 4, maxLength: 4 }),
});
const arbitraryItems = fc.uniqueArray(
  fc.record({
    site: fc.integer({ min: 0, max: 5 }),
    system: fc.integer({ min: 0, max: 3 }),
    up: fc.integer({ min: 0, max: 1_000 }),
    down: fc.integer({ min: 0, max: 50 }),
    owner: fc.integer({ min: 0, max: 30 }),
  }),
  { selector: (i) => `${i.site}/${i.system}`, maxLength: 24 },
);

function estateOf(hosts: (string | undefined)[], owners: string[]): Estate {
  return {
    sites: hosts.map((host, i) => ({ id: `site-${i}`, ...(host ? { host } : {}) })),
    systems: owners.map((owner, i) => ({ id: `system-${i}`, owner })),
  } as unknown as Estate;
}

/** The plain definition: each group's figure from its own items' tallies, merged in one go. */
function expected(estate: Estate, judged: Judged<Tally>[]) {
  const host = (site: string) => estate.sites.find((s) => s.id === site)?.host;
  const owner = (system: string) => estate.systems.find((s) => s.id === system)?.owner;
  const figure = (members: Judged<Tally>[]) => tallying.judge(merge(members.map((m) => m.tally)));
  const ids = (pick: (i: Judged<Tally>) => string[]) => [...new Set(judged.flatMap(pick))].sort();
  return {
    bySystem: ids((i) => [i.system]).map((system) => ({
      system,
      minutes: figure(judged.filter((i) => i.system === system)).minutes,
    })),
    bySite: ids((i) => [i.site]).map((site) => ({
      site,
      minutes: figure(judged.filter((i) => i.site === site)).minutes,
    })),
    byOrganisation: ids((i) => [host(i.site), owner(i.system)].filter((o) => o !== undefined)).map(
      (organisation) => {
        const members = judged.filter(
          (i) => host(i.site) === organisation || owner(i.system) === organisation,
        );
        const { minutes, attribution } = figure(members);
        return { organisation, minutes, attribution };
      },
    ),
    minutes: figure(judged).minutes,
  };
}

describe('rollUp: groups made from parts merged once', () => {
  it('gives every system, site, organisation and the whole the figure of its own items', () => {
    fc.assert(
      fc.property(arbitraryEstate, arbitraryItems, ({ hosts, owners }, items) => {
        const estate = estateOf(hosts, owners);
        const judged: Judged<Tally>[] = items.map((i) => {
          const tally = emptyTally();
          tally.ms.up = i.up * MIN;
          tally.ms.down = i.down * MIN;
          const site = `site-${i.site}`;
          const host = estate.sites.find((s) => s.id === site)?.host;
          // Some down minutes are the owner's, the rest the host's (or no one's at the central server).
          const ownerMs = Math.min(i.owner, i.down) * MIN;
          const system = estate.systems[i.system];
          if (ownerMs > 0)
            tally.attribution.set('owner', {
              organisation: system?.owner ?? null,
              role: 'owner',
              ms: ownerMs,
            });
          if (tally.ms.down > ownerMs)
            tally.attribution.set('host', {
              organisation: host ?? null,
              role: 'host',
              ms: tally.ms.down - ownerMs,
            });
          return { site, system: `system-${i.system}`, tally, figure: tallying.judge(tally) };
        });
        const groups = rollUp(estate, judged, tallying);
        const want = expected(estate, judged);
        expect(groups.bySystem.map(({ system, minutes }) => ({ system, minutes }))).toEqual(want.bySystem);
        expect(groups.bySite.map(({ site, minutes }) => ({ site, minutes }))).toEqual(want.bySite);
        expect(groups.byOrganisation.map((o) => o.organisation)).toEqual(
          want.byOrganisation.map((o) => o.organisation),
        );
        for (const [i, o] of groups.byOrganisation.entries())
          expect(o.minutes).toEqual(want.byOrganisation[i]?.minutes);
        const whole = merge(judged.map((i) => i.tally));
        expect(tallying.judge(whole).minutes).toEqual(want.minutes);
        expect(groups.value).toBe(tallying.judge(whole).value);
      }),
      { numRuns: 300 },
    );
  });

  it('names attribution ties by organisation, whatever order the items were summed in', () => {
    const tally = (organisation: string) => {
      const t = emptyTally();
      t.ms.down = 10 * MIN;
      t.attribution.set(organisation, { organisation, role: 'host', ms: 10 * MIN });
      return t;
    };
    const one = figureOf(merge([tally('org-b'), tally('org-a')]), 99, horizon);
    const other = figureOf(merge([tally('org-a'), tally('org-b')]), 99, horizon);
    expect(one.attribution.map((a) => a.organisation)).toEqual(['org-a', 'org-b']);
    expect(other.attribution).toEqual(one.attribution);
  });
});
