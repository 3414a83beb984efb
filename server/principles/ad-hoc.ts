import { randomBytes } from 'node:crypto';
import { localDateTimeSchema, nameSchema } from '../../common/fields.js';
import { didYouMean } from '../../common/suggest.js';
import type { Estate } from '../config/schema.js';
import type { MaintenanceScope } from '../store/maintenance.js';
import { londonInstant } from './maintenance.js';

/** The longest ad hoc window: longer work is planned, and belongs in the estate file. */
export const MAX_AD_HOC_MS = 7 * 24 * 3_600_000;
/**
 * How far before it is added an ad hoc window may start: time already accounted stays as it was counted,
 * so a window cannot turn yesterday's outage into maintenance; a few minutes allow for work begun as the
 * window was being typed. Planned work goes in the estate file ahead of time.
 */
export const MAX_BACKDATE_MS = 15 * 60_000;

/** What is asked for: from the API's body or the command line, times as text. */
export interface WindowInput {
  title: string;
  start: string;
  end: string;
  scope: MaintenanceScope;
}

export interface WindowDraft {
  title: string;
  start: number;
  end: number;
  scope: MaintenanceScope;
}

/** A mistake in what was asked for, naming the field (`start`, `scope.systems`…). */
export type DraftResult = { ok: true; draft: WindowDraft } | { ok: false; field: string; message: string };

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant a time names: ISO 8601 with `Z` or an offset as it says, or `YYYY-MM-DDTHH:MM` in London
 * time as the estate file's windows are read (a time the clocks pass twice in October is the second,
 * GMT one: give an offset for the first). Undefined when it is neither.
 */
export function instantOf(text: string): number | undefined {
  if (ISO_WITH_OFFSET.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return localDateTimeSchema.safeParse(text).success ? londonInstant(text) : undefined;
}

const TIME_FORMS = 'give YYYY-MM-DDTHH:MM (London time) or ISO 8601 with Z or an offset';

const scopeKinds = ['systems', 'sites', 'checks', 'tags'] as const;

/** The tags used anywhere in the estate: a window scoped by any other would cover nothing. */
function estateTags(estate: Estate): Set<string> {
  return new Set(
    [...estate.checks, ...estate.systems, ...estate.sites].flatMap((entity) => entity.tags ?? []),
  );
}

/**
 * Checks an ad hoc window asked for against the estate and the time now: real times in order, starting
 * at most 15 minutes ago, at most 7 days long, known ids.
 */
export function draftWindow(input: WindowInput, estate: Estate, now: number): DraftResult {
  const title = nameSchema.safeParse(input.title);
  if (!title.success)
    return { ok: false, field: 'title', message: title.error.issues[0]?.message ?? 'not a title' };
  const start = instantOf(input.start);
  if (start === undefined)
    return { ok: false, field: 'start', message: `'${input.start}' is not a time: ${TIME_FORMS}` };
  const end = instantOf(input.end);
  if (end === undefined)
    return { ok: false, field: 'end', message: `'${input.end}' is not a time: ${TIME_FORMS}` };
  if (end <= start)
    return {
      ok: false,
      field: 'end',
      message: `${new Date(end).toISOString()} is not after start (${new Date(start).toISOString()})`,
    };
  if (start < now - MAX_BACKDATE_MS)
    return {
      ok: false,
      field: 'start',
      message: `${new Date(start).toISOString()} is more than 15 minutes ago: time already counted is not made maintenance after the fact (a window may start from ${new Date(now - MAX_BACKDATE_MS).toISOString()})`,
    };
  if (end - start > MAX_AD_HOC_MS)
    return {
      ok: false,
      field: 'end',
      message: `an ad hoc window is at most 7 days long; this one is ${((end - start) / 3_600_000).toFixed(1)} h: plan longer work in the estate file`,
    };
  const known: Record<(typeof scopeKinds)[number], Set<string>> = {
    systems: new Set(estate.systems.map((s) => s.id)),
    sites: new Set(estate.sites.map((s) => s.id)),
    checks: new Set(estate.checks.map((c) => c.id)),
    tags: estateTags(estate),
  };
  const scope: MaintenanceScope = {};
  for (const kind of scopeKinds) {
    const ids = [...new Set(input.scope[kind] ?? [])];
    for (const id of ids) {
      if (!known[kind].has(id))
        return {
          ok: false,
          field: `scope.${kind}`,
          message: `the estate has no ${kind === 'tags' ? 'tag' : kind.slice(0, -1)} '${id}'${didYouMean(id, known[kind])}`,
        };
    }
    if (ids.length > 0) scope[kind] = ids;
  }
  if (Object.keys(scope).length === 0)
    return {
      ok: false,
      field: 'scope',
      message: 'a window covers something: give systems, sites, checks or tags',
    };
  return { ok: true, draft: { title: title.data, start, end, scope } };
}

/** A new ad hoc window's id: marked as such, so it never meets an estate file window's. */
export function adHocId(): string {
  return `ad-hoc-${randomBytes(5).toString('hex')}`;
}
