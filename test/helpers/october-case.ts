import type { RunRecord } from '../../runs/record.js';

/*
 * The hand-computed October 2026 case of test/api/compliance.test.ts (where every figure is worked out
 * in its comment), as run records for a store: epr checked every 5 minutes from three sites, each
 * hosted by a different organisation, over the whole month (British Summer Time until 01:00 UTC on
 * Sunday 25 October, then GMT), with Friday 2 October a bank holiday. In core hours (target 99.5%):
 *   st-annes   down 70 (owner 45, host riverside 25), up 13,160: 99.471%, breached.
 *   marsh-lane down 45 (owner), maintenance 120, unknown 239.5, up 12,825.5: 99.650%, met.
 *   hill-view  down 95 (owner 65, host northgate 30), up 13,135: 99.282%, breached;
 *              its host's outages: Tue 6 Oct 10:00–10:30 BST (30 min) and Sat 10 Oct 03:00–04:00 BST.
 *   epr as a whole: up 39,120.5, down 210: 99.466%, breached.
 */
export const octoberEstateYaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
  - { id: northgate, name: Northgate Community Trust, kind: community }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }
  - { id: hill-view, name: Hill View Clinic, host: northgate }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
checks:
  - id: epr-login
    name: EPR sign-in page
    system: epr
    type: http
    target: https://epr.example.org/login
    every: 5m
    timeout: 10s
    from: [st-annes, marsh-lane, hill-view]
principles:
  - { id: epr-core, title: EPR available in core hours, metric: availability, target: 99.5%, hours: core, scope: { systems: [epr] } }
  - { id: epr-always, title: EPR available at all times, metric: availability, target: 99.9%, hours: 24x7, scope: { organisations: [riverside] } }
  - { id: epr-fast, title: EPR responsive, metric: latency, percentile: 95, target: 3000, scope: { systems: [epr] } }
maintenance:
  - { id: marsh-lane-switch, title: Marsh Lane switch replacement, start: 2026-10-14T12:00, end: 2026-10-14T14:00, scope: { sites: [marsh-lane] } }
settings:
  bankHolidays: [2026-10-02]
`;

export const SITES = ['st-annes', 'marsh-lane', 'hill-view'] as const;
const MONTH_FROM = Date.UTC(2026, 8, 30, 23, 0);
const MONTH_TO = Date.UTC(2026, 10, 1, 0, 0);
const FIVE_MIN = 300_000;
const utc = (day: number, hour: number, minute = 0) => Date.UTC(2026, 9, day, hour, minute);

const failing: Record<string, [number, number][]> = {
  'st-annes': [
    [utc(26, 7, 50), utc(26, 8, 10)],
    [utc(20, 14), utc(20, 15)],
  ],
  'marsh-lane': [
    [utc(14, 11, 30), utc(14, 12, 30)],
    [utc(20, 14), utc(20, 14, 45)],
  ],
  'hill-view': [
    [utc(6, 9), utc(6, 9, 30)],
    [utc(10, 2), utc(10, 3)],
    [utc(8, 13), utc(8, 13, 20)],
    [utc(20, 14), utc(20, 14, 45)],
  ],
};
const silent: Record<string, [number, number][]> = { 'marsh-lane': [[utc(8, 12), utc(8, 16)]] };
const within = (spans: [number, number][] | undefined, at: number) =>
  (spans ?? []).some(([from, to]) => at >= from && at < to);

const OK_PHASES = { dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: 40, transferMs: 1, totalMs: 47 };

/** Every run of October 2026 at the three sites. */
export function octoberRuns(): RunRecord[] {
  const runs: RunRecord[] = [];
  for (const site of SITES) {
    for (let at = MONTH_FROM; at < MONTH_TO; at += FIVE_MIN) {
      if (within(silent[site], at)) continue;
      const fail = within(failing[site], at);
      runs.push({
        checkId: 'epr-login',
        vantagePoint: site,
        startedAt: at,
        state: fail ? 'fail' : 'ok',
        phases: OK_PHASES,
        ...(fail ? { error: { class: 'timeout' as const, message: 'no answer in 10s' } } : { status: 200 }),
      });
    }
  }
  return runs;
}

/** One site's runs of October 2026 as its agent pushes them over the agents' API. */
export function octoberPushed(site: (typeof SITES)[number]): object[] {
  return octoberRuns()
    .filter((run) => run.vantagePoint === site)
    .map(({ vantagePoint: _, startedAt, ...run }) => ({
      id: `${site}-${startedAt}`,
      ...run,
      startedAt: new Date(startedAt).toISOString(),
    }));
}

/** Runs every 5 minutes at every site over the hours before `now`, all up. */
export function recentRuns(now: number, hours: number): RunRecord[] {
  const runs: RunRecord[] = [];
  const first = now - hours * 3_600_000;
  for (const site of SITES)
    for (let at = first; at < now - 60_000; at += FIVE_MIN)
      runs.push({
        checkId: 'epr-login',
        vantagePoint: site,
        startedAt: at,
        state: 'ok',
        phases: OK_PHASES,
        status: 200,
      });
  return runs;
}
