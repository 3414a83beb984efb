import type { Estate } from '../config/schema.js';
import type { StoredEstate } from '../estate/rows.js';

export type EntityKind = 'organisations' | 'sites' | 'systems' | 'checks';

export interface KindReport {
  added: string[];
  changed: string[];
  restored: string[];
  retired: string[];
}

export type SyncReport = Record<EntityKind, KindReport>;

/**
 * Where Vantage keeps what it knows. SQLite is the implementation; a PostgreSQL one must pass the
 * same contract suite (test/store/contract.ts).
 */
export interface Store {
  /** Makes the stored estate match the configured one. Ids are stable; removed entities are retired, never deleted. */
  syncEstate(estate: Estate, at: number): Promise<SyncReport>;
  /** The stored estate; retired entities only when asked for. */
  readEstate(options?: { includeRetired?: boolean }): Promise<StoredEstate>;
  /** Resolves when the store can take writes; rejects with the reason when it cannot. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function countChanges(report: SyncReport): number {
  return Object.values(report).reduce(
    (sum, kind) => sum + kind.added.length + kind.changed.length + kind.restored.length + kind.retired.length,
    0,
  );
}
