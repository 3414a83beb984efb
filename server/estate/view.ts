import type { Check } from '../config/schema.js';
import { DEFAULT_TIMEOUT, type StoredEstate, scheduleOf } from './rows.js';

/**
 * The estate as the API shows it: who hosts which sites, who owns which systems, and the checks of
 * each. Check secrets (headers, bodies, credentials in URLs) are never included.
 */
export function estateView(estate: StoredEstate) {
  const retired = (at: number | null) => (at === null ? {} : { retiredAt: new Date(at).toISOString() });
  const group = <T>(rows: T[], key: (row: T) => string[]) => {
    const map = new Map<string, string[]>();
    for (const row of rows) {
      for (const k of key(row)) {
        const ids = map.get(k) ?? [];
        ids.push((row as { id: string }).id);
        map.set(k, ids);
      }
    }
    return map;
  };
  const sitesByHost = group(estate.sites, (s) => [s.host]);
  const systemsByOwner = group(estate.systems, (s) => [s.owner]);
  const checksBySystem = group(estate.checks, (c) => [c.system]);
  const checksBySite = group(estate.checks, (c) => c.from);

  return {
    organisations: estate.organisations.map((o) => ({
      id: o.id,
      name: o.name,
      kind: o.kind,
      ...(o.ods ? { ods: o.ods } : {}),
      sites: sitesByHost.get(o.id) ?? [],
      systems: systemsByOwner.get(o.id) ?? [],
      ...retired(o.retiredAt),
    })),
    sites: estate.sites.map((s) => ({
      id: s.id,
      name: s.name,
      host: s.host,
      ...(s.kind ? { kind: s.kind } : {}),
      tags: s.tags,
      checks: checksBySite.get(s.id) ?? [],
      ...retired(s.retiredAt),
    })),
    systems: estate.systems.map((s) => ({
      id: s.id,
      name: s.name,
      owner: s.owner,
      ...(s.kind ? { kind: s.kind } : {}),
      ...(s.supplier ? { supplier: s.supplier } : {}),
      tags: s.tags,
      checks: checksBySystem.get(s.id) ?? [],
      ...retired(s.retiredAt),
    })),
    checks: estate.checks.map((c) => ({ ...checkView(c.definition), ...retired(c.retiredAt) })),
  };
}

export function checkView(check: Check) {
  return {
    id: check.id,
    ...(check.name ? { name: check.name } : {}),
    system: check.system,
    type: check.type,
    target: withoutCredentials(check.target),
    schedule: scheduleOf(check),
    timeout: check.timeout ?? DEFAULT_TIMEOUT,
    runsFrom: check.from && check.from.length > 0 ? 'sites' : 'server',
    from: check.from ?? [],
    ...(check.expect ? { expect: check.expect } : {}),
  };
}

function withoutCredentials(target: string): string {
  if (!/^https?:\/\//.test(target)) return target;
  try {
    const url = new URL(target);
    if (!url.username && !url.password) return target;
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return target;
  }
}
export type EstateView = ReturnType<typeof estateView>;
