import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { Path } from './references.js';

export interface Position {
  line: number;
  col: number;
}

/**
 * The line and column of a path in a parsed YAML document: the key or the value when the path
 * exists, else the start of the deepest part of it that does (a missing field points at its parent).
 */
export function locate(doc: Document, lines: LineCounter, path: Path, atKey = false): Position {
  let node: Node | null = doc.contents;
  let keyNode: Node | null = null;
  for (const segment of path) {
    const next = child(node, segment);
    if (!next) break;
    node = next.value;
    keyNode = next.key;
  }
  const target = atKey && keyNode ? keyNode : (node ?? keyNode);
  const offset = target?.range?.[0] ?? 0;
  return lines.linePos(offset);
}

function child(
  node: Node | null,
  segment: string | number,
): { key: Node | null; value: Node | null } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === segment);
    if (!pair) return undefined;
    return { key: pair.key as Node | null, value: (pair.value as Node | null) ?? (pair.key as Node | null) };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment] as Node | undefined;
    return item ? { key: null, value: item } : undefined;
  }
  return undefined;
}
