import type { Estate } from '../config/schema.js';
import type { ReportChange, ReportContent } from './types.js';

type Leaf = string | number | boolean | null;

/** The members that name an element of a list, tried in turn: the first present is its key. */
const KEYS = [
  ['check', 'site', 'from'],
  ['principle', 'site', 'system'],
  ['site', 'system'],
  ['id'],
  ['principle'],
  ['organisation', 'role'],
  ['organisation'],
  ['system'],
  ['site'],
  ['check'],
] as const;

/** An element's key in its list: its naming members joined by `|`, or its place when it has none. */
function keyOf(element: unknown, index: number): string {
  if (element && typeof element === 'object') {
    const record = element as Record<string, unknown>;
    for (const names of KEYS)
      if (names.every((n) => n in record)) return names.map((n) => String(record[n] ?? '-')).join('|');
  }
  return String(index);
}

/** Every leaf of a value, by its path. */
function leaves(value: unknown, path: string, into: Map<string, Leaf>): void {
  if (Array.isArray(value)) {
    value.forEach((element, i) => {
      leaves(element, `${path}/${keyOf(element, i)}`, into);
    });
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) leaves(member, path ? `${path}/${key}` : key, into);
    return;
  }
  if (value !== undefined) into.set(path, value as Leaf);
}

/**
 * Every figure (number, status, text) that differs between two contents, with where it is and a label
 * in words; a figure present in one only is listed with null on the other side.
 */
export function changesBetween(estate: Estate, before: ReportContent, after: ReportContent): ReportChange[] {
  const was = new Map<string, Leaf>();
  const now = new Map<string, Leaf>();
  leaves(before, '', was);
  leaves(after, '', now);
  const label = labeller(estate, after);
  const paths = [...new Set([...was.keys(), ...now.keys()])].sort();
  return paths.flatMap((path) => {
    const a = was.get(path) ?? null;
    const b = now.get(path) ?? null;
    if (a === b) return [];
    return [{ path, label: label(path), before: plain(a), after: plain(b) }];
  });
}

const plain = (leaf: Leaf): string | number | null => (typeof leaf === 'boolean' ? String(leaf) : leaf);

/** A path in words: ids become names, a pair becomes "site × system", the field name ends it. */
function labeller(estate: Estate, content: ReportContent): (path: string) => string {
  const names = new Map<string, string>();
  for (const list of [estate.organisations, estate.sites, estate.systems, estate.checks])
    for (const entity of list) names.set(entity.id, 'name' in entity ? String(entity.name) : entity.id);
  for (const p of content.principles) names.set(p.id, p.title);
  const SECTIONS = new Set([
    'principles',
    'items',
    'bySystem',
    'bySite',
    'byOrganisation',
    'scorecard',
    'content',
  ]);
  return (path) => {
    const parts = path.split('/');
    const field = parts.pop() ?? '';
    const words = parts
      .filter((part) => !SECTIONS.has(part))
      .map((part) =>
        part
          .split('|')
          .filter((id) => id !== '-')
          .map((id) => names.get(id) ?? id)
          .join(' × '),
      )
      .filter(Boolean);
    return `${words.join(', ')}: ${field}`;
  };
}
