import { londonOffsetMs } from '../../principles/london.js';

/** London wall time of an instant: `09:42` on the same London day as `now`, else `2 Dec 09:42`. */
export function sinceText(at: number, now: number): string {
  const local = new Date(at + londonOffsetMs(at));
  const today = new Date(now + londonOffsetMs(now));
  const time = local.toISOString().slice(11, 16);
  if (local.toISOString().slice(0, 10) === today.toISOString().slice(0, 10)) return time;
  const day = local.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  return `${day} ${time}`;
}

/** Error classes that mean the target could not be reached at all, rather than answered wrongly. */
const UNREACHED = new Set(['dns', 'refused', 'timeout', 'unreachable', 'reset', 'tls']);

/** "unreachable" when every failure was one of reaching the target; "failing" when some answered wrongly. */
export function failingWord(errorClasses: readonly string[]): string {
  return errorClasses.length > 0 && errorClasses.every((c) => UNREACHED.has(c)) ? 'unreachable' : 'failing';
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
