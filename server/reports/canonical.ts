import { createHash } from 'node:crypto';

/**
 * JSON with every object's keys sorted and no spaces: the same value always gives the same text,
 * whatever order it was built in, so a hash of it is a fingerprint of the value. Undefined members are
 * left out, and undefined in an array is null, as JSON.stringify does. Written directly, without a
 * sorted copy: an annual report of a large estate is tens of megabytes.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

function write(value: unknown, parts: string[]): void {
  if (value === null || typeof value !== 'object') {
    parts.push(value === undefined ? 'null' : JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    parts.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) parts.push(',');
      write(value[i], parts);
    }
    parts.push(']');
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  parts.push('{');
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    parts.push(first ? '' : ',', JSON.stringify(key), ':');
    first = false;
    write(member, parts);
  }
  parts.push('}');
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
