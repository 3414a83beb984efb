/**
 * `${NAME}` references in the estate's strings, resolved from an environment. Free of the YAML and
 * schema libraries, so an agent can use it without loading them.
 */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export type Env = Record<string, string | undefined>;

/** One value put in place of a `${NAME}`: a secret, whether it came from the environment or the default. */
export interface Secret {
  name: string;
  value: string;
}

/** `${NAME}` and `${NAME:-default}` in one text, with the names that are unset and have no default. */
export function expandEnv(text: string, env: Env): { text: string; unset: string[]; used: Secret[] } {
  const unset: string[] = [];
  const used: Secret[] = [];
  const expanded = text.replace(REFERENCE, (_whole, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') {
      used.push({ name, value });
      return value;
    }
    if (fallback !== undefined) {
      if (fallback !== '') used.push({ name, value: fallback });
      return fallback;
    }
    unset.push(name);
    return '';
  });
  return { text: expanded, unset, used };
}

/** `${NAME:-default}` shown as `${NAME}`: the name says where the value comes from, the default stays unsaid. */
export function shownReferences(text: string): string {
  return text.includes('${') ? text.replace(REFERENCE, (_whole, name: string) => `\${${name}}`) : text;
}

/** Every value a reference in `value`'s strings resolves to: what must never be shown, logged or stored. */
export function secretsIn(value: unknown, env: Env): Secret[] {
  const found: Secret[] = [];
  const walk = (item: unknown) => {
    if (typeof item === 'string') {
      if (item.includes('${')) found.push(...expandEnv(item, env).used);
    } else if (Array.isArray(item)) item.forEach(walk);
    else if (item !== null && typeof item === 'object') Object.values(item).forEach(walk);
  };
  walk(value);
  return found;
}

/** A copy of `value` with every reference in its strings resolved. */
export function resolveEnv<T>(value: T, env: Env): T {
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return item.includes('${') ? expandEnv(item, env).text : item;
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, walk(inner)]));
    }
    return item;
  };
  return walk(value) as T;
}

/** The names `value`'s strings refer to that are unset and have no default. */
export function unsetNames(value: unknown, env: Env): string[] {
  const unset: string[] = [];
  const walk = (item: unknown) => {
    if (typeof item === 'string') {
      if (item.includes('${')) unset.push(...expandEnv(item, env).unset);
    } else if (Array.isArray(item)) item.forEach(walk);
    else if (item !== null && typeof item === 'object') Object.values(item).forEach(walk);
  };
  walk(value);
  return [...new Set(unset)];
}
