import { normalise, type Span } from '../../principles/intervals.js';
import type { Estate } from '../config/schema.js';
import type { AdHocWindowRow, MaintenanceScope, MaintenanceStore } from '../store/maintenance.js';
import { type Covered, covers, windowSpans } from './maintenance.js';

/** A maintenance window from either source, with the time it covers in one period. */
export interface Window {
  id: string;
  title: string;
  /** The estate file's `maintenance:` list, or added while running (API, `vantage maintenance add`). */
  source: 'file' | 'ad-hoc';
  /** The time it covers inside the period, sorted UTC spans; empty when it has none there. */
  spans: Span[];
  scope: MaintenanceScope;
  /** The stored row of an ad hoc window: who added it, and who ended it early. */
  adHoc?: AdHocWindowRow;
}

/**
 * Every maintenance window that bears on a period, from its one source of truth: the estate file's
 * windows (all of them, so a listing shows a planned window even in a period it does not touch) and the
 * ad hoc windows that cover some of the period (they grow without end, so only those are read).
 * Compliance and the maintenance API both read windows here and nowhere else.
 */
export async function allWindows(
  estate: Pick<Estate, 'maintenance'> | undefined,
  store: Pick<MaintenanceStore, 'overlapping'>,
  from: number,
  to: number,
): Promise<Window[]> {
  const file: Window[] = (estate?.maintenance ?? []).map((window) => ({
    id: window.id,
    title: window.title,
    source: 'file',
    spans: windowSpans(window, from, to),
    scope: window.scope,
  }));
  const adHoc: Window[] = (await store.overlapping(from, to)).map((row) => ({
    id: row.id,
    title: row.title,
    source: 'ad-hoc',
    spans: [{ from: Math.max(from, row.start), to: Math.min(to, row.end) }],
    scope: row.scope,
    adHoc: row,
  }));
  return [...file, ...adHoc];
}

/** The time any of these windows covers a check at a vantage point, as sorted UTC spans. */
export function maintenanceOf(windows: readonly Window[], covered: Covered): Span[] {
  return normalise(windows.filter((w) => covers(w, covered)).flatMap((w) => w.spans));
}
