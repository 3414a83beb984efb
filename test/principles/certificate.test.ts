import { describe, expect, it } from 'vitest';
import { fewestDays, underTarget } from '../../principles/certificates.js';
import { certificateCompliance } from '../../server/principles/certificates.js';
import { parsePeriod } from '../../server/principles/period.js';
import { earliestExpiry } from '../../server/results/certificate-expiry.js';
import { estateFrom } from '../helpers/estates.js';

const HOUR = 3_600_000;
const at = (day: number, hour: number, minute = 0) => Date.UTC(2026, 9, day, hour, minute);

describe('the certificate expiry a run was sent', () => {
  it('is the earliest of the leaf and the chain above it', () => {
    const details = {
      certificate: { validTo: '2027-01-10T00:00:00.000Z' },
      chain: [{ validTo: '2026-12-01T12:00:00.000Z' }, { validTo: '2036-01-01T00:00:00.000Z' }],
    };
    expect(earliestExpiry(details)).toBe(Date.UTC(2026, 11, 1, 12));
    expect(earliestExpiry({ certificate: { validTo: '2027-01-10T00:00:00.000Z' } })).toBe(
      Date.UTC(2027, 0, 10),
    );
  });

  it('passes over what is not a time, and runs that were sent no certificate', () => {
    expect(earliestExpiry(undefined)).toBeUndefined();
    expect(earliestExpiry({ address: '10.0.0.1' })).toBeUndefined();
    expect(earliestExpiry({ certificate: { validTo: 'soon' } })).toBeUndefined();
    expect(earliestExpiry({ certificate: 'x', chain: [null, 3, { validTo: '2026-12-01T00:00:00Z' }] })).toBe(
      Date.UTC(2026, 11, 1),
    );
    expect(earliestExpiry({ certificate: { validTo: 20261201 } })).toBeUndefined();
  });
});

describe('fewest days to expiry', () => {
  const seen = [
    // Seen 09:00Z–21:00Z on the 5th: closest to expiry at its last run.
    { notAfter: at(20, 12), firstAt: at(5, 9), lastAt: at(5, 21) },
    { notAfter: Date.UTC(2027, 0, 10), firstAt: at(6, 0), lastAt: at(6, 23) },
  ];

  it('counts each certificate at the last run in the period that saw it', () => {
    // 20 Oct 12:00Z − 5 Oct 21:00Z = 14 days 15 hours.
    expect(fewestDays(seen, at(1, 0), at(31, 0))).toBe(14 + 15 / 24);
    // Only the later certificate's runs fall in the period: 10 Jan − 6 Oct 23:00Z = 95 days 1 hour.
    expect(fewestDays(seen, at(6, 0), at(31, 0))).toBe(95 + 1 / 24);
    expect(fewestDays(seen, at(7, 0), at(31, 0))).toBeUndefined();
  });

  it('counts a run stamped past the end of the period at the end', () => {
    expect(fewestDays(seen, at(5, 0), at(5, 12))).toBe(15);
  });

  it('finds when a certificate seen was under target, to its last run and that run’s hold', () => {
    const hold = () => HOUR + 6 * 60_000;
    // Under 14 days from 6 Oct 12:00Z; seen to 21:00Z on the 5th plus a hold: never under target.
    expect(underTarget(seen.slice(0, 1), 14, hold)).toEqual([]);
    // Under 16 days from 4 Oct 12:00Z: seen from 09:00Z on the 5th to 22:06Z.
    expect(underTarget(seen.slice(0, 1), 16, hold)).toEqual([{ from: at(5, 9), to: at(5, 22, 6) }]);
    // Under 15 days from 5 Oct 12:00Z.
    expect(underTarget(seen.slice(0, 1), 15, hold)).toEqual([{ from: at(5, 12), to: at(5, 22, 6) }]);
  });
});

const yaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: northgate, name: Northgate Community Trust, kind: community }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: hill-view, name: Hill View Clinic, host: northgate }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
checks:
  - { id: epr-tls, system: epr, type: tls, target: "epr.example.org:443", every: 1h, from: [st-annes, hill-view] }
  - { id: epr-plain, system: epr, type: http, target: "http://epr.example.org/", every: 1h, from: [st-annes] }
principles:
  - { id: certificates, title: No expired certificates, metric: certificate-expiry, target: 14, hours: core, scope: { systems: [epr] } }
`;

describe('a certificate-expiry principle over a month', () => {
  it('counts the in-hours minutes under target across the clocks going back, the owner’s', async () => {
    const estate = estateFrom(yaml);
    const principle = estate.principles[0];
    if (!principle) throw new Error('no principle');
    const from = Date.UTC(2026, 8, 30, 23);
    const to = Date.UTC(2026, 10, 1);
    // hill-view is known up all month; its certificate (expiring 5 Nov 08:00Z) is seen all month.
    const timeline = new Map([['hill-view', [{ from, to, state: 'up' as const }]]]);
    const notAfter = Date.UTC(2026, 10, 5, 8);
    const certificates = new Map([['hill-view', [{ notAfter, firstAt: from, lastAt: at(31, 23) }]]]);
    const answer = await certificateCompliance(
      estate,
      {
        results: {
          timeline: async () => timeline,
          hourlyPhases: async () => [],
          // The whole estate's timeline in one pass, as compliance reads it: only epr-tls has stretches.
          timelines: async (_from, _to, visit) => visit('epr-tls', timeline),
          certificates: async () => new Map([['epr-tls', certificates]]),
        },
        maintenance: { overlapping: async () => [] },
      },
      principle,
      parsePeriod('2026-10', Date.UTC(2026, 10, 10)),
    );
    // Only the tls check counts: the plain http one is sent no certificate.
    expect(answer.items.map((i) => [i.site, i.status])).toEqual([
      ['hill-view', 'breached'],
      ['st-annes', 'no-data'],
    ]);
    const hill = answer.items[0];
    // 5 Nov 08:00Z − 31 Oct 23:00Z = 4 days 9 hours = 4.375, to hundredths rounded down.
    expect(hill?.value).toBe(4.37);
    // Under 14 days from Thu 22 Oct 08:00Z (09:00 BST): 08:00Z–17:30Z that day (570), Fri 23 (630), and
    // Mon 26 to Fri 30 in GMT, 08:00Z–18:30Z (5 × 630): 4,350 of October's 22 × 630 = 13,860 core minutes.
    expect(hill?.minutes).toEqual({ up: 9_510, down: 4_350, maintenance: 0, unknown: 0 });
    expect(hill?.attribution).toEqual([{ organisation: 'riverside', role: 'owner', minutes: 4_350 }]);
    expect(hill?.budget).toEqual({ allowed: 0, spent: 4_350, left: -4_350 });
    // The last day of the month (Saturday 31st) is not core: no burn in the last day.
    expect(hill?.burn['1d']).toBe(0);
    // The last 3 days: Thursday 29 and Friday 30 October, 630 core minutes each.
    expect(hill?.burn['3d']).toBe(1_260);
    // 13,860 minutes unknown at st-annes: no timeline there.
    expect(answer.items[1]?.minutes.unknown).toBe(13_860);
    expect([answer.status, answer.value]).toEqual(['breached', 4.37]);
    // The same certificate seen last on 15 October with 21 days left: met, not at risk, in the month
    // that is over, though it came under target on the 22nd; at risk in November, still under way.
    const seenTo15 = new Map([['hill-view', [{ notAfter, firstAt: from, lastAt: at(15, 8) }]]]);
    const sourcesTo15 = {
      results: {
        timeline: async () => timeline,
        hourlyPhases: async () => [],
        timelines: async () => {},
        certificates: async () => new Map([['epr-tls', seenTo15]]),
      },
      maintenance: { overlapping: async () => [] },
    };
    const october = await certificateCompliance(
      estate,
      sourcesTo15,
      principle,
      parsePeriod('2026-10', Date.UTC(2026, 10, 10)),
    );
    expect([october.items[0]?.status, october.items[0]?.value]).toEqual(['met', 21]);
    const underWay = await certificateCompliance(
      estate,
      sourcesTo15,
      principle,
      parsePeriod('2026-10', Date.UTC(2026, 9, 20)),
    );
    expect(underWay.items[0]?.status).toBe('at-risk');
    expect(answer.byOrganisation.map((o) => [o.organisation, o.status, o.attributed])).toEqual([
      ['northgate', 'breached', 0],
      ['riverside', 'breached', 4_350],
    ]);
  });
});
