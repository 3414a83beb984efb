import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Path, PathIssue } from './references.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` (or `${NAME:-default}`) in every string value with the environment's value, in
 * place, so errors in the result still point at the right line. Keys are left alone.
 */
export function substituteEnv(root: Node | null, env: Record<string, string | undefined>): PathIssue[] {
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
      node.value = node.value.replace(REFERENCE, (_whole, name: string, fallback: string | undefined) => {
        const value = env[name];
        if (value !== undefined && value !== '') return value;
        if (fallback !== undefined) return fallback;
        issues.push({ path, message: `environment variable ${name} is not set` });
        return '';
      });
    }
  };
  walk(root, []);
  return issues;
}
