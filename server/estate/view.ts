import { DEFAULT_TIMEOUT } from '../../common/check-defaults.js';
import { shownReferences } from '../../common/env-references.js';
import type { Check } from '../config/schema.js';
import { type StoredEstate, scheduleOf } from './rows.js';

/**
 * The estate as the API shows it: who hosts which sites, who owns which systems, and the checks of
 * each. Check secrets (headers, bodies, credentials in URLs) are never included, and a value that
 * came from the environment is shown as its reference, `${NAME}` (without any default).
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
    target: shownTarget(check.target),
    schedule: scheduleOf(check),
    timeout: check.timeout ?? DEFAULT_TIMEOUT,
    runsFrom: check.from && check.from.length > 0 ? 'sites' : 'server',
    from: check.from ?? [],
    ...(check.expect ? { expect: withReferencesShown(check.expect) } : {}),
  };
}

/** A target as it may be shown: no credentials, and its references without their defaults. */
export function shownTarget(target: string): string {
  return shownReferences(withoutCredentials(target));
}

/**
 * The target without `user:password@`. Read from the text rather than parsed as a URL: a target
 * whose host is a `${NAME}` reference is not a URL until it is resolved.
 */
function withoutCredentials(target: string): string {
  return target.replace(/^(https?:\/\/)[^/?#]*@/i, '$1');
}

function withReferencesShown<T>(value: T): T {
  if (typeof value === 'string') return shownReferences(value) as T;
  if (Array.isArray(value)) return value.map(withReferencesShown) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, withReferencesShown(inner)]),
    ) as T;
  }
  return value;
}
export type EstateView = ReturnType<typeof estateView>;
