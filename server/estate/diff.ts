import type { Retirable } from './rows.js';

export interface EntityChanges<Row> {
  added: Row[];
  /** Present before, with a field that differs now (a rename included). */
  changed: Row[];
  /** Retired before and configured again: brought back with the history it had. */
  restored: Row[];
  /** Ids no longer configured: marked retired, their history kept. */
  retired: string[];
}

/**
 * What a store must do to make its rows match the configured ones. Ids are the identity: a row
 * whose id stays keeps its history whatever else changes.
 */
export function diffEntities<Row extends { id: string }>(
  stored: Retirable<Row>[],
  desired: Row[],
  fingerprint: (row: Row) => string,
): EntityChanges<Row> {
  const byId = new Map(stored.map((row) => [row.id, row]));
  const changes: EntityChanges<Row> = { added: [], changed: [], restored: [], retired: [] };
  const configured = new Set<string>();
  for (const row of desired) {
    configured.add(row.id);
    const before = byId.get(row.id);
    if (!before) changes.added.push(row);
    else if (before.retiredAt !== null) changes.restored.push(row);
    else if (fingerprint(before) !== fingerprint(row)) changes.changed.push(row);
  }
  for (const row of stored) {
    if (row.retiredAt === null && !configured.has(row.id)) changes.retired.push(row.id);
  }
  return changes;
}
