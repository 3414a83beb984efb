import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Path, PathIssue } from './references.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export type Env = Record<string, string | undefined>;

/** `${NAME}` and `${NAME:-default}` in one text, with the names that are unset and have no default. */
export function expandEnv(text: string, env: Env): { text: string; unset: string[] } {
  const unset: string[] = [];
  const expanded = text.replace(REFERENCE, (_whole, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    unset.push(name);
    return '';
  });
  return { text: expanded, unset };
}

const unsetIssue = (path: Path, name: string): PathIssue => ({
  path,
  message: `environment variable ${name} is not set`,
});

/**
 * Expands the environment in every string value of a YAML document, in place, so errors in the
 * result still point at the right line. Keys are left alone.
 */
export function substituteEnv(root: Node | null, env: Env): PathIssue[] {
  const issues: PathIssue[] = [];
  const walk = (node: unknown, path: Path) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        walk(pair.value, [...path, String(key)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        walk(item, [...path, index]);
      });
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
      const { text, unset } = expandEnv(node.value, env);
      node.value = text;
      for (const name of unset) issues.push(unsetIssue(path, name));
    }
  };
  walk(root, []);
  return issues;
}

/** The same for plain values (the fast path, with no document): a copy, or undefined if a name is unset. */
export function substituteEnvValues(value: unknown, env: Env): { value: unknown } | undefined {
  let missing = false;
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') {
      if (!item.includes('${')) return item;
      const { text, unset } = expandEnv(item, env);
      if (unset.length > 0) missing = true;
      return text;
    }
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, walk(inner)]));
    }
    return item;
  };
  const result = walk(value);
  return missing ? undefined : { value: result };
}
