import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { type Env, expandEnv, type Secret } from '../../common/env-references.js';
import type { Path, PathIssue } from './references.js';

export type { Env, Secret };

/** A string of the file that used `${NAME}`: where it is, its text as written, and what was put in. */
export interface EnvSource {
  path: Path;
  raw: string;
  used: Secret[];
}

const unsetIssue = (path: Path, name: string): PathIssue => ({
  path,
  message: `environment variable ${name} is not set`,
});

/**
 * Expands the environment in every string value of a YAML document, in place, so errors in the
 * result still point at the right line. Keys are left alone. Says which strings used it.
 */
export function substituteEnv(root: Node | null, env: Env): { issues: PathIssue[]; sources: EnvSource[] } {
  const issues: PathIssue[] = [];
  const sources: EnvSource[] = [];
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
      const raw = node.value;
      const { text, unset, used } = expandEnv(raw, env);
      node.value = text;
      for (const name of unset) issues.push(unsetIssue(path, name));
      if (text !== raw) sources.push({ path, raw, used });
    }
  };
  walk(root, []);
  return { issues, sources };
}

/**
 * The same for plain values (the fast path, with no document): a copy and the strings that used the
 * environment, or undefined if a name is unset.
 */
export function substituteEnvValues(
  value: unknown,
  env: Env,
): { value: unknown; sources: EnvSource[] } | undefined {
  let missing = false;
  const sources: EnvSource[] = [];
  // One path, kept as the walk goes down and up, copied only for a string that uses the environment:
  // a large estate has hundreds of thousands of values and few references.
  const path: (string | number)[] = [];
  const inside = (key: string | number, inner: unknown): unknown => {
    path.push(key);
    const result = walk(inner);
    path.pop();
    return result;
  };
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') {
      if (!item.includes('${')) return item;
      const { text, unset, used } = expandEnv(item, env);
      if (unset.length > 0) missing = true;
      if (text !== item) sources.push({ path: [...path], raw: item, used });
      return text;
    }
    if (Array.isArray(item)) return item.map((inner, index) => inside(index, inner));
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, inside(key, inner)]));
    }
    return item;
  };
  const result = walk(value);
  return missing ? undefined : { value: result, sources };
}
