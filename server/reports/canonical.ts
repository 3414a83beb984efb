import { createHash } from 'node:crypto';

/**
 * JSON with every object's keys sorted (by UTF-16 code units) and no spaces: the same value always gives
 * the same text, whatever order it was built in, so a hash of it is a fingerprint of the value.
 * Undefined members are left out and undefined in an array is null, as JSON.stringify does; it is
 * JSON.stringify, given each object with its keys in order, which is many times quicker than writing it
 * by hand (an annual report of a large estate is tens of megabytes). One caveat, JavaScript's: keys
 * that are array indices ("7", "10") come first, in numeric order. Reports use none.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(inKeyOrder(value, ''));
}

/**
 * The value with every object's keys in order: itself where they are already (most of a report), a
 * copy only where they are not; then JSON.stringify writes it without calling back into JavaScript for
 * every member, which a replacer would (a third of a second on an annual report of a large estate).
 */
function inKeyOrder(value: unknown, key: string | number): unknown {
  if (value === null || typeof value !== 'object') return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return inKeyOrder(toJSON.call(value, String(key)), key);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const ordered = inKeyOrder(item, i);
      if (ordered === item) continue;
      copy ??= value.slice();
      copy[i] = ordered;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let inOrder = true;
  for (let i = 1; i < keys.length && inOrder; i++) inOrder = (keys[i - 1] as string) < (keys[i] as string);
  if (!inOrder) {
    const sorted: Record<string, unknown> = {};
    for (const k of keys.sort()) sorted[k] = inKeyOrder(record[k], k);
    return sorted;
  }
  // In order: copied only from the first member that changes (an object below it out of order).
  let copy: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const item = record[k];
    const ordered = inKeyOrder(item, k);
    if (ordered !== item && !copy) {
      copy = {};
      for (const earlier of keys.slice(0, i)) copy[earlier] = record[earlier];
    }
    if (copy) copy[k] = ordered;
  }
  return copy ?? value;
}

/**
 * A report's canonical text with its hash, serialised once: the hash is of the text without the
 * `hash` member, and the stored text is the same members with it in its sorted place.
 */
export function withHash<T extends object>(value: T): { text: string; hash: string } {
  const members = Object.keys(value)
    .filter((key) => key !== 'hash' && (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map(
      (key) =>
        [key, `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`] as const,
    );
  const hash = `sha256:${sha256(`{${members.map(([, text]) => text).join(',')}}`)}`;
  const all = [...members, ['hash', `"hash":${JSON.stringify(hash)}`] as const].sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return { text: `{${all.map(([, text]) => text).join(',')}}`, hash };
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
