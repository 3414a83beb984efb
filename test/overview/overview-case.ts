import type { RunRecord } from '../../runs/record.js';
import type { Estate } from '../../server/config/schema.js';
import type { SqliteStores } from '../../server/store/sqlite/stores.js';
import { checkResponse } from '../../surveys/response.js';
import { estateFrom } from '../helpers/estates.js';
import { susFor } from '../helpers/survey.js';

/*
 * Four sites, five systems, each system's check run every minute from every site, from 08:00 on
 * Tuesday 24 November 2026 (GMT, so London time is UTC). Marsh Lane Centre's link goes down at 09:42:
 * every check fails there and only there. The records system fails everywhere from 10:05. Now is 10:30.
 *
 * EPR (principle epr-available, ≥ 99%, all hours) over the 2 hours to now (08:30–10:30): up at the
 * three other sites for 120 minutes each, at Marsh Lane 72 minutes up and 48 down: 432 / 480 = 90%;
 * Marsh Lane alone 72 / 120 = 60%. The 2 hours before (06:30–08:30) have runs from 08:00 only, all
 * up: 100%. So the change is down 10 points.
 *
 * The survey: 2025's campaign (closed, so published) has 30 responses rating the EPR at SUS 70 and 90
 * in turn (80), 12 of them rate email at 40 and 60 (50) and 4 the GP system (fewer than 11: withheld, and
 * email with it, so that the 4 cannot be worked out from the totals);
 * 2024's has 30 rating the EPR at 50 and 70 (60). The EPR is up 20 points.
 */
export const OVERVIEW_YAML = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
  - { id: northgate, name: Northgate GP Federation, kind: gp-federation }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }
  - { id: hill-surgery, name: Hill Surgery, host: northgate }
  - { id: park-clinic, name: Park Clinic, host: riverside }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
  - { id: email, name: Email, owner: northgate }
  - { id: gp-system, name: GP clinical system, owner: northgate }
  - { id: shared-care, name: Shared care record, owner: eastfield }
  - { id: records, name: Records archive, owner: eastfield }
checks:
${['epr', 'email', 'gp-system', 'shared-care', 'records']
  .map(
    (system) =>
      `  - { id: ${system}-check, system: ${system}, type: http, target: "https://${system}.example.org/", every: 1m, from: [st-annes, marsh-lane, hill-surgery, park-clinic] }`,
  )
  .join('\n')}
principles:
  - { id: epr-available, title: EPR available, metric: availability, target: 99%, window: 30d, hours: 24x7, scope: { systems: [epr] } }
  - { id: records-available, title: Records available, metric: availability, target: 99.9%, window: 30d, hours: 24x7, scope: { systems: [records] } }
  - { id: usable, title: Usable systems, metric: survey-score, target: 68 }
surveys:
  - { id: usability-2024, title: IT usability survey 2024, opens: 2024-10-01, closes: 2024-12-31, systems: { epr: sus } }
  - { id: usability-2025, title: IT usability survey 2025, opens: 2025-10-01, closes: 2025-12-31, systems: { epr: sus, email: sus, gp-system: sus } }
`;

export const MINUTE = 60_000;
export const FIRST_RUN = Date.UTC(2026, 10, 24, 8, 0);
export const LINK_DOWN = Date.UTC(2026, 10, 24, 9, 42);
export const RECORDS_DOWN = Date.UTC(2026, 10, 24, 10, 5);
export const NOW = Date.UTC(2026, 10, 24, 10, 30);
export const SITES = ['st-annes', 'marsh-lane', 'hill-surgery', 'park-clinic'];
export const SYSTEMS = ['epr', 'email', 'gp-system', 'shared-care', 'records'];

export const overviewEstate = (): Estate => estateFrom(OVERVIEW_YAML);

const phases = { dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: 40, transferMs: 2, totalMs: 48 };
const failed = { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, transferMs: null, totalMs: 5 };

/** One run of a system's check at a site and minute, up or down by the story above. */
export function runAt(system: string, site: string, at: number, recordsUp = false): RunRecord {
  const down =
    (site === 'marsh-lane' && at >= LINK_DOWN) || (system === 'records' && at >= RECORDS_DOWN && !recordsUp);
  return down
    ? {
        checkId: `${system}-check`,
        vantagePoint: site,
        startedAt: at,
        state: 'fail',
        phases: failed,
        error: { class: 'reset', message: 'connection reset' },
      }
    : { checkId: `${system}-check`, vantagePoint: site, startedAt: at, state: 'ok', phases, status: 200 };
}

/** Every run from 08:00 until `to` (exclusive). */
export function runsUntil(to: number): RunRecord[] {
  const runs: RunRecord[] = [];
  for (let at = FIRST_RUN; at < to; at += MINUTE)
    for (const system of SYSTEMS) for (const site of SITES) runs.push(runAt(system, site, at));
  return runs;
}

/** Every check's runs from `at` for `minutes` minutes, the records system back up (but not at Marsh Lane). */
export function runsRecovered(at: number, minutes: number): RunRecord[] {
  const runs: RunRecord[] = [];
  for (let m = 0; m < minutes; m++)
    for (const system of SYSTEMS)
      for (const site of SITES) runs.push(runAt(system, site, at + m * MINUTE, true));
  return runs;
}

function responses(estate: Estate) {
  const out = [];
  const campaigns = [
    { id: 'usability-2025', score: 70, day: '2025-11-03' },
    { id: 'usability-2024', score: 50, day: '2024-11-04' },
  ];
  for (const { id, score, day } of campaigns) {
    const survey = estate.surveys.find((s) => s.id === id);
    if (!survey) throw new Error(`no survey ${id}`);
    for (let k = 0; k < 30; k++) {
      // Scores alternate so that no group gives one answer, which would be withheld.
      const answers: Record<string, Record<string, number>> = { epr: susFor(score + (k % 2) * 20) };
      if (id === 'usability-2025' && k < 12) answers.email = susFor(40 + (k % 2) * 20);
      if (id === 'usability-2025' && k >= 26) answers['gp-system'] = susFor(90);
      const checked = checkResponse(
        { organisation: 'riverside', site: 'st-annes', staffGroup: 'nursing', answers },
        survey,
        estate,
        day,
      );
      if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
      out.push(checked.response);
    }
  }
  return out;
}

/**
 * The story stored: estate, runs until now, the surveys' responses, and agents' heartbeats: St Anne's
 * heard 10 s ago, Hill Surgery's last heard at 10:20 (silent).
 */
export async function storeOverviewCase(store: SqliteStores, estate: Estate): Promise<void> {
  await store.estate.syncEstate(estate, NOW);
  await store.results.recordRuns(runsUntil(NOW));
  await store.survey.addResponses(responses(estate));
  const beat = (site: string, at: number) => ({
    site,
    tokenId: `token-${site}`,
    at,
    version: '1.0.0',
    clockOffsetMs: 0,
    outbox: { depth: 0, dropped: 0, oldestAt: null },
  });
  await store.agents.recordHeartbeat(beat('st-annes', NOW - 10_000));
  await store.agents.recordHeartbeat(beat('hill-surgery', Date.UTC(2026, 10, 24, 10, 20)));
}
