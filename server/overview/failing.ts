import type { Check, Estate } from '../config/schema.js';
import { type RunPlan, runPlanOf, vantagePointStates } from '../results/vantage.js';

/** A check failing now at one vantage point, and since when (its newest down stretch, else its last run). */
export interface FailingPoint {
  check: Check;
  vantagePoint: string;
  lastRunAt: number;
}

/** A check failing now, with how many of its vantage points know its state and which of them fail. */
export interface FailingCheck {
  check: Check;
  known: number;
  failing: FailingPoint[];
}

/** One line of "failing now": a site (its host's) or a system (its owner's). */
export interface FailingLine {
  kind: 'site' | 'system';
  /** The site's or the system's id and name. */
  id: string;
  name: string;
  /** "5 systems unreachable", "failing from 3 of 4 vantage points", "EPR failing". */
  what: string;
  /** The earliest moment any of its failures began (ISO 8601). */
  since: string;
  responsible: { organisation: string; name: string; role: 'host' | 'owner' };
  /** For a site: the systems failing there; for a system: the vantage points it fails from. */
  systems: string[];
  vantagePoints: string[];
  checks: string[];
  href: string;
}

/** Every check failing now at any vantage point whose state is known, from the latest results. */
export function failingChecks(
  estate: Estate,
  latest: Map<string, { vantagePoint: string; result: unknown }[]>,
  now: number,
  plans: Map<string, RunPlan> = new Map(),
): FailingCheck[] {
  const out: FailingCheck[] = [];
  for (const check of estate.checks) {
    const results = latest.get(check.id);
    if (!results?.some((r) => (r.result as { state?: string }).state === 'fail')) continue;
    const states = vantagePointStates(check, results, now, plans.get(check.id) ?? runPlanOf(check));
    const known = states.filter((s) => s.state !== 'unknown');
    const failing = known
      .filter((s) => s.state === 'fail')
      .map((s) => ({ check, vantagePoint: s.vantagePoint, lastRunAt: Date.parse(s.lastRunAt as string) }));
    if (failing.length > 0) out.push({ check, known: known.length, failing });
  }
  return out;
}

/** How many checks at each vantage point have a known state now: what "most of a site's checks" is of. */
export function knownAt(
  estate: Estate,
  latest: Map<string, { vantagePoint: string; result: unknown }[]>,
  now: number,
  plans: Map<string, RunPlan>,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const check of estate.checks) {
    const results = latest.get(check.id);
    if (!results) continue;
    const plan = plans.get(check.id) ?? runPlanOf(check);
    for (const state of vantagePointStates(check, results, now, plan))
      if (state.state !== 'unknown')
        counts.set(state.vantagePoint, (counts.get(state.vantagePoint) ?? 0) + 1);
  }
  return counts;
}

/**
 * Failures grouped as people report them. By the rule principles and responsibility share, a check
 * failing from at least half of the vantage points that know its state is its system's: one line per
 * system, its owner's. Other failures are their sites': one line per site, its host's, saying
 * "N systems unreachable" when most of the checks run from there fail (its link, most likely).
 */
export function groupFailing(
  estate: Estate,
  failing: readonly FailingCheck[],
  knownBySite: Map<string, number>,
  since: (point: FailingPoint) => number,
): FailingLine[] {
  const orgName = new Map(estate.organisations.map((o) => [o.id, o.name]));
  const sites = new Map(estate.sites.map((s) => [s.id, s]));
  const systems = new Map(estate.systems.map((s) => [s.id, s]));
  const bySystem = new Map<string, FailingPoint[]>();
  const bySite = new Map<string, FailingPoint[]>();
  for (const f of failing) {
    if (f.failing.length * 2 >= f.known) {
      bySystem.set(f.check.system, [...(bySystem.get(f.check.system) ?? []), ...f.failing]);
      continue;
    }
    for (const point of f.failing)
      bySite.set(point.vantagePoint, [...(bySite.get(point.vantagePoint) ?? []), point]);
  }
  const earliest = (points: FailingPoint[]) => new Date(Math.min(...points.map(since))).toISOString();
  // A system has failed since at least half of the places that know its state were failing.
  const halfSince = (points: FailingPoint[], known: number) => {
    const starts = points.map(since).sort((a, b) => a - b);
    return new Date(starts[Math.min(starts.length, Math.ceil(known / 2)) - 1] as number).toISOString();
  };
  const unique = (values: string[]) => [...new Set(values)].sort();
  const lines: FailingLine[] = [];
  for (const [id, points] of bySite) {
    const site = sites.get(id);
    if (!site) continue;
    const failingSystems = unique(points.map((p) => p.check.system));
    const checks = unique(points.map((p) => p.check.id));
    const most = checks.length * 2 > (knownBySite.get(id) ?? checks.length);
    const names = failingSystems.map((s) => systems.get(s)?.name ?? s);
    lines.push({
      kind: 'site',
      id,
      name: site.name,
      what: most
        ? `${failingSystems.length} ${failingSystems.length === 1 ? 'system' : 'systems'} unreachable`
        : `${listed(names)} failing`,
      since: earliest(points),
      responsible: { organisation: site.host, name: orgName.get(site.host) ?? site.host, role: 'host' },
      systems: failingSystems,
      vantagePoints: [id],
      checks,
      href: `/organisations/${encodeURIComponent(site.host)}`,
    });
  }
  for (const [id, points] of bySystem) {
    const system = systems.get(id);
    if (!system) continue;
    const places = unique(points.map((p) => p.vantagePoint));
    const checks = unique(points.map((p) => p.check.id));
    const of = failing.filter((f) => f.check.system === id).reduce((n, f) => Math.max(n, f.known), 0);
    lines.push({
      kind: 'system',
      id,
      name: system.name,
      what:
        places.length === 1 && of === 1
          ? 'failing'
          : `failing from ${places.length} of ${Math.max(of, places.length)} vantage points`,
      since: halfSince(points, of),
      responsible: {
        organisation: system.owner,
        name: orgName.get(system.owner) ?? system.owner,
        role: 'owner',
      },
      systems: [id],
      vantagePoints: places,
      checks,
      href: `/systems/${encodeURIComponent(id)}`,
    });
  }
  return lines.sort((a, b) => a.since.localeCompare(b.since) || a.name.localeCompare(b.name));
}

/** "EPR", "EPR and Email", "EPR, Email and 3 more". */
function listed(names: string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}
