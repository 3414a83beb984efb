import type { Estate } from '../config/schema.js';
import type { CheckRow, Retirable, StoredEstate } from '../estate/rows.js';

export type { CheckRow, Retirable, StoredEstate } from '../estate/rows.js';

export type EntityKind = 'organisations' | 'sites' | 'systems' | 'checks';

export interface KindReport {
  added: string[];
  changed: string[];
  restored: string[];
  retired: string[];
}

export type SyncReport = Record<EntityKind, KindReport>;

/** The estate as stored: organisations, sites, systems and checks, retired but never deleted. */
export interface EstateStore {
  /** Makes the stored estate match the configured one. Ids are stable; removed entities are retired, never deleted. */
  syncEstate(estate: Estate, at: number): Promise<SyncReport>;
  /**
   * A number that changes whenever syncEstate changes anything, so what is derived from the estate
   * (an agent's assignments, say) can be kept until it does.
   */
  estateGeneration(): number;
  /** The stored estate; retired entities only when asked for. */
  readEstate(options?: { includeRetired?: boolean }): Promise<StoredEstate>;
  /** The ids of the checks not retired, in order. */
  activeCheckIds(): Promise<string[]>;
  /** One check of the estate as it is now (not retired), or undefined. */
  getCheck(checkId: string): Promise<Retirable<CheckRow> | undefined>;
}

export function countChanges(report: SyncReport): number {
  return Object.values(report).reduce(
    (sum, kind) => sum + kind.added.length + kind.changed.length + kind.restored.length + kind.retired.length,
    0,
  );
}
