import type { RunRecord } from '../../runs/record.js';
import { type AlertsFixture, alertsEstateYaml, MINUTE, run, T0 } from './fixture.js';

/** Now: three days after the fixture's T0, so three days of runs fit before it. */
export const NOW_MINUTE = 3 * 24 * 60;
export const N = T0 + NOW_MINUTE * MINUTE;

/** epr-login every 5 minutes from the four sites; one availability principle of 99.9% over 30 days. */
export function burnEstate(scope = '{ systems: [epr] }', rule = '{}'): string {
  return `${alertsEstateYaml.replace(
    'target: https://epr.example.org/, every: 1m',
    'target: https://epr.example.org/, every: 5m',
  )}principles:
  - { id: epr-available, title: EPR available 99.9%, metric: availability, target: 99.9%, window: 30d, hours: 24x7, scope: ${scope} }
alerts:
  rules:
    failures: { enabled: false }
    burnRate: ${rule}
`;
}

/** epr-login's runs every 5 minutes of [from, to) (minutes after T0) at these sites. */
export function every5(
  sites: readonly string[],
  from: number,
  to: number,
  down: (site: string, m: number) => boolean,
): RunRecord[] {
  const runs: RunRecord[] = [];
  for (let m = from; m < to; m += 5) for (const s of sites) runs.push(run('epr-login', s, m, !down(s, m)));
  return runs;
}

/** The burn-rate rule's incidents. */
export const burnIncidents = async (f: AlertsFixture, state: 'open' | 'all' = 'open') =>
  (await f.store.incidents.list({ state, limit: 20 })).filter((i) => i.rule === 'burn-rate');
