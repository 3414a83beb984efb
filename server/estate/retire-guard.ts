import type { Estate } from '../config/schema.js';

/** The setting by which an estate file says it means to retire most of the checks. */
export const RETIRE_MOST_SETTING = 'settings.allowRetiringMostChecks';

/** An estate file would retire all the active checks, or more than half of them. */
export class MassRetireError extends Error {
  override name = 'MassRetireError';
  constructor(
    readonly file: string,
    readonly retiring: string[],
    readonly active: number,
  ) {
    const shown = retiring.slice(0, 5).join(', ') + (retiring.length > 5 ? ', …' : '');
    super(
      `the estate file ${file} would retire ${retiring.length} of the ${active} active checks (${shown}); ` +
        'refused, so that a file emptied or cut short by mistake does not stop the monitoring. ' +
        `If that is meant, set ${RETIRE_MOST_SETTING}: true in the file, and remove it once applied.`,
    );
  }
}

/**
 * Refuses an estate that would retire every active check, or more than half of them, unless it says
 * so itself. A mistaken save (an empty file, half a file) is far likelier than a real retirement of
 * most of an economy's checks, and a check's runs missed while it was retired cannot be had back.
 */
export function guardRetirement(active: string[], next: Estate, file: string): void {
  if (next.settings.allowRetiringMostChecks) return;
  if (active.length === 0) return;
  const wanted = new Set(next.checks.map((check) => check.id));
  const retiring = active.filter((id) => !wanted.has(id)).sort();
  if (retiring.length === active.length || retiring.length * 2 > active.length) {
    throw new MassRetireError(file, retiring, active.length);
  }
}
