import type { MaintenanceWindow } from '../config/schema.js';

/** What a window covers: the same shape as an estate file window's scope. */
export type MaintenanceScope = MaintenanceWindow['scope'];

/** A maintenance window added while running (the API or `vantage maintenance add`), not in the estate file. */
export interface AdHocWindowRow {
  id: string;
  title: string;
  /** UTC ms. */
  start: number;
  /** UTC ms, exclusive; lowered when the window is ended early. */
  end: number;
  scope: MaintenanceScope;
  /** An email, `token:<id>` or `cli:<user>`. */
  createdBy: string;
  createdAt: number;
  /** When it was ended early, and by whom; null while it runs its course. */
  endedAt: number | null;
  endedBy: string | null;
}

/** Ad hoc maintenance windows, kept for ever: past figures depend on them. */
export interface MaintenanceStore {
  add(window: Omit<AdHocWindowRow, 'endedAt' | 'endedBy'>): Promise<void>;
  window(id: string): Promise<AdHocWindowRow | undefined>;
  /** The windows that cover some of [from, to), by start. */
  overlapping(from: number, to: number): Promise<AdHocWindowRow[]>;
  /**
   * Ends a window at `at`: its end becomes `at` (never before its start, never after its end as set).
   * False when there is no such window.
   */
  end(id: string, at: number, by: string): Promise<boolean>;
}
