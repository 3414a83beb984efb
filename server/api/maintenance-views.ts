import type { MaintenanceWindow } from '../config/schema.js';
import type { Window } from '../principles/windows.js';
import type { MaintenanceScope } from '../store/maintenance.js';

const iso = (at: number) => new Date(at).toISOString();

/** One window as the API shows it: what it covers, when, and where it came from. */
export interface WindowView {
  id: string;
  title: string;
  source: 'file' | 'ad-hoc';
  scope: MaintenanceScope;
  /** The time it covers inside the period asked about (UTC, ISO 8601). */
  occurrences: { from: string; to: string }[];
  /** As the estate file gives it (London time), for a file window. */
  file?: Pick<MaintenanceWindow, 'start' | 'end' | 'cron' | 'duration'>;
  /** For an ad hoc window: its whole extent, and who added and ended it. */
  start?: string;
  end?: string;
  createdBy?: string;
  createdAt?: string;
  endedAt?: string | null;
  endedBy?: string | null;
  /** Asked about one check (`?check=`): the vantage points of it the window covers. */
  vantagePoints?: string[];
}

export interface MaintenanceResponse {
  period: { from: string; to: string };
  items: WindowView[];
  /** The windows with time in the next 7 days from now, with that time. */
  upcoming: { from: string; to: string; items: WindowView[] };
}

export function windowView(window: Window, fileWindows: readonly MaintenanceWindow[]): WindowView {
  const view: WindowView = {
    id: window.id,
    title: window.title,
    source: window.source,
    scope: window.scope,
    occurrences: window.spans.map((span) => ({ from: iso(span.from), to: iso(span.to) })),
  };
  const file = fileWindows.find((w) => w.id === window.id);
  if (window.source === 'file' && file) {
    const { start, end, cron, duration } = file;
    view.file = {
      ...(start !== undefined ? { start } : {}),
      ...(end !== undefined ? { end } : {}),
      ...(cron !== undefined ? { cron } : {}),
      ...(duration !== undefined ? { duration } : {}),
    };
  }
  const row = window.adHoc;
  if (row) {
    view.start = iso(row.start);
    view.end = iso(row.end);
    view.createdBy = row.createdBy;
    view.createdAt = iso(row.createdAt);
    view.endedAt = row.endedAt === null ? null : iso(row.endedAt);
    view.endedBy = row.endedBy;
  }
  return view;
}
