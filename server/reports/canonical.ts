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
  return JSON.stringify(value, sortedKeys);
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  // An object whose keys are in order already is written as it is, not copied.
  let inOrder = true;
  for (let i = 1; i < keys.length && inOrder; i++) inOrder = (keys[i - 1] as string) < (keys[i] as string);
  if (inOrder) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of keys.sort()) sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
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
