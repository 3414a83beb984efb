import { DAY_MS } from '../../common/calendar.js';
import { DEFAULT_INTERVAL } from '../../common/check-defaults.js';
import { durationMs } from '../../common/duration.js';
import { HEARTBEAT_MS } from '../../runs/agent-wire.js';
import type { Estate } from '../config/schema.js';
import { type RunPlan, runPlanOf } from '../results/vantage.js';
import type { AgentsStore } from '../store/agents.js';
import type { ResultsStore } from '../store/results.js';
import { type FailingLine, type FailingPoint, failingChecks, groupFailing, knownAt } from './failing.js';

/** The page refreshes its live parts this often at most: a check run every 10 s is not redrawn as often. */
export const MIN_REFRESH_SECONDS = 15;
/** How far back a failure's start is looked for: one failing longer is shown as failing since then. */
const SINCE_LOOKBACK_MS = 7 * DAY_MS;

export interface SilentAgent {
  site: string;
  name: string;
  host: string;
  hostName: string;
  lastSeen: string;
}

/** What the overview redraws on its own: failing now, silent agents, and when it was worked out. */
export interface OverviewNow {
  at: string;
  /** The shortest check interval, at least 15 s: how often the page asks again. */
  refreshSeconds: number;
  failing: FailingLine[];
  silentAgents: SilentAgent[];
  silentAfterSeconds: number;
}

/** The state now: checks failing (grouped, since when) from the latest results read once, and silent agents. */
export async function overviewNow(
  estate: Estate,
  stores: {
    results: Pick<ResultsStore, 'latestResultsAll' | 'timeline'>;
    agents: Pick<AgentsStore, 'heartbeats'>;
  },
  now: number,
  silentBeats: number,
  /** Each check's run plan: worked out once per estate by the caller, not on every ask. */
  plans: Map<string, RunPlan> = new Map(estate.checks.map((c) => [c.id, runPlanOf(c)])),
): Promise<OverviewNow> {
  const [latest, beats] = await Promise.all([stores.results.latestResultsAll(), stores.agents.heartbeats()]);
  const failing = failingChecks(estate, latest, now, plans);
  const since = new Map<string, number>();
  // Only the failing checks' timelines are read: when each current down stretch began.
  for (const f of failing) {
    const byVp = await stores.results.timeline(f.check.id, now - SINCE_LOOKBACK_MS, now + 1);
    for (const point of f.failing) {
      const last = byVp.get(point.vantagePoint)?.at(-1);
      if (last?.state === 'down' && last.from <= point.lastRunAt) since.set(key(point), last.from);
    }
  }
  const lines = groupFailing(estate, failing, knownAt(estate, latest, now, plans), (point) =>
    Math.min(since.get(key(point)) ?? point.lastRunAt, point.lastRunAt),
  );
  const sites = new Map(estate.sites.map((s) => [s.id, s]));
  const orgName = new Map(estate.organisations.map((o) => [o.id, o.name]));
  const silentAgents = beats
    .filter((beat) => now - beat.at > silentBeats * HEARTBEAT_MS && sites.has(beat.site))
    .map((beat) => {
      const site = sites.get(beat.site);
      const host = site?.host ?? '';
      return {
        site: beat.site,
        name: site?.name ?? beat.site,
        host,
        hostName: orgName.get(host) ?? host,
        lastSeen: new Date(beat.at).toISOString(),
      };
    })
    .sort((a, b) => a.lastSeen.localeCompare(b.lastSeen));
  return {
    at: new Date(now).toISOString(),
    refreshSeconds: refreshSecondsOf(estate),
    failing: lines,
    silentAgents,
    silentAfterSeconds: (silentBeats * HEARTBEAT_MS) / 1000,
  };
}

const key = (point: FailingPoint) => `${point.check.id}\u0000${point.vantagePoint}`;

/** The shortest interval any check runs at, in seconds, but never under the minimum. */
export function refreshSecondsOf(estate: Estate): number {
  const intervals = estate.checks
    .filter((c) => c.cron === undefined)
    .map((c) => durationMs(c.every ?? DEFAULT_INTERVAL) / 1000);
  if (intervals.length === 0) return 60;
  return Math.max(MIN_REFRESH_SECONDS, Math.min(...intervals));
}
