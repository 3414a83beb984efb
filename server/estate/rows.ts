import { DEFAULT_INTERVAL } from '../../common/check-defaults.js';
import type { Check, Estate } from '../config/schema.js';

/** The estate as the store keeps it: one row per entity, references by id. */
export interface OrganisationRow {
  id: string;
  name: string;
  kind: string;
  ods: string | null;
}
export interface SiteRow {
  id: string;
  name: string;
  host: string;
  kind: string | null;
  tags: string[];
}
export interface SystemRow {
  id: string;
  name: string;
  owner: string;
  kind: string | null;
  supplier: string | null;
  tags: string[];
}
export interface CheckRow {
  id: string;
  name: string | null;
  system: string;
  type: string;
  target: string;
  /** Sites whose agents run the check; empty for the central server. */
  from: string[];
  /** The whole check as configured, for the scheduler and probes. */
  definition: Check;
}

export interface EstateRows {
  organisations: OrganisationRow[];
  sites: SiteRow[];
  systems: SystemRow[];
  checks: CheckRow[];
}

export type Retirable<Row> = Row & { retiredAt: number | null };

export interface StoredEstate {
  organisations: Retirable<OrganisationRow>[];
  sites: Retirable<SiteRow>[];
  systems: Retirable<SystemRow>[];
  checks: Retirable<CheckRow>[];
}

export function estateRows(estate: Estate): EstateRows {
  return {
    organisations: estate.organisations.map((o) => ({
      id: o.id,
      name: o.name,
      kind: o.kind,
      ods: o.ods ?? null,
    })),
    sites: estate.sites.map((s) => ({
      id: s.id,
      name: s.name,
      host: s.host,
      kind: s.kind ?? null,
      tags: s.tags ?? [],
    })),
    systems: estate.systems.map((s) => ({
      id: s.id,
      name: s.name,
      owner: s.owner,
      kind: s.kind ?? null,
      supplier: s.supplier ?? null,
      tags: s.tags ?? [],
    })),
    checks: estate.checks.map((c) => ({
      id: c.id,
      name: c.name ?? null,
      system: c.system,
      type: c.type,
      target: c.target,
      from: c.from ?? [],
      definition: c,
    })),
  };
}

/** How often a check runs, in the words the estate file uses (every, or cron). */
export function scheduleOf(check: Check): { every: string } | { cron: string } {
  if (check.cron !== undefined) return { cron: check.cron };
  return { every: check.every ?? DEFAULT_INTERVAL };
}
