import { createHash } from 'node:crypto';

/**
 * JSON with every object's keys sorted and no spaces: the same value always gives the same text,
 * whatever order it was built in, so a hash of it is a fingerprint of the value. Undefined members are
 * left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sorted(value));
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sorted(v)));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = sorted(member);
  }
  return out;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
