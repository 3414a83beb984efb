import type { Secret } from './env-references.js';

/** A secret at least this long is recognised by its start too, when a message cuts it short. */
const RECOGNISED_START = 16;

/**
 * Replaces every secret in a text by its reference, `${NAME}`: for messages that quote a value a
 * probe was given (a URL, an expected body), before they are stored, shown or logged. A value is
 * found as it is, percent-encoded (as a URL quotes it), JSON-escaped, and, for a long one, by any
 * start of it of 16 characters or more (a message that shows only the first 100 characters).
 */
export function redactor(secrets: readonly Secret[]): (text: string) => string {
  // Longest first, so a secret that contains another is replaced whole; empty values never match.
  const sorted = secrets
    .filter((secret) => secret.value !== '')
    .sort((a, b) => b.value.length - a.value.length);
  const pairs = sorted.flatMap(({ name, value }): [string, string][] => {
    const reference = `\${${name}}`;
    const forms = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
    return [...forms].map((form) => [form, reference]);
  });
  const long = sorted.filter((secret) => secret.value.length > RECOGNISED_START);
  return (text) => {
    let result = text;
    for (const [value, reference] of pairs) {
      if (result.includes(value)) result = result.split(value).join(reference);
    }
    for (const { name, value } of long) result = withoutStarts(result, value, `\${${name}}`);
    return result;
  };
}

/** `text` with each run of characters that begins `value` (for 16 characters or more) replaced. */
function withoutStarts(text: string, value: string, reference: string): string {
  const head = value.slice(0, RECOGNISED_START);
  let at = text.indexOf(head);
  if (at < 0) return text;
  let result = '';
  let from = 0;
  while (at >= 0) {
    let end = at + head.length;
    while (end < text.length && end - at < value.length && text[end] === value[end - at]) end += 1;
    result += text.slice(from, at) + reference;
    from = end;
    at = text.indexOf(head, end);
  }
  return result + text.slice(from);
}

export function redactText(text: string, secrets: readonly Secret[]): string {
  return redactor(secrets)(text);
}

/** A copy of `value` with every string redacted (an Error becomes its redacted message). */
export function redactDeep<T>(value: T, secrets: readonly Secret[]): T {
  return deepRedactor(secrets)(value);
}

/** redactDeep prepared once for a set of secrets; with none, values pass through untouched. */
export function deepRedactor(secrets: readonly Secret[]): <T>(value: T) => T {
  if (secrets.every((secret) => secret.value === '')) return (value) => value;
  const redact = redactor(secrets);
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return redact(item);
    if (Array.isArray(item)) return item.map(walk);
    if (item instanceof Error) return redact(item.message);
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, walk(inner)]));
    }
    return item;
  };
  return <T>(value: T) => walk(value) as T;
}

/**
 * Redacts what a probe's result says in words (its error and details), never its ids or state: a
 * secret that happens to be a word such as `ok` must not change what the result means.
 */
export function resultRedactor(
  secrets: readonly Secret[],
): <T extends { error?: unknown; details?: unknown }>(result: T) => T {
  const deep = deepRedactor(secrets);
  if (secrets.every((secret) => secret.value === '')) return (result) => result;
  return (result) => {
    if (result.error === undefined && result.details === undefined) return result;
    const copy = { ...result };
    if (copy.error !== undefined) copy.error = deep(copy.error);
    if (copy.details !== undefined) copy.details = deep(copy.details);
    return copy;
  };
}
