import type { EnvSource } from './env.js';
import type { Path, PathIssue } from './references.js';
import type { Estate } from './schema.js';

/**
 * A value that came from `${NAME}` is a secret: never returned by the API, logged or stored. So the
 * estate keeps such values as their references (`https://epr/${EPR_KEY}`), and they are resolved
 * where they are used: when a check is probed, when an agent is sent its checks. Fields that are
 * shown (ids, names, whom a check belongs to, where and when it runs) cannot keep a secret, so
 * `${NAME}` is refused there rather than shown.
 */
export type Placement = 'reference' | 'resolved' | 'refused';

/** A check's fields that the API and dashboard show, or that place and time it. */
const SHOWN_CHECK_FIELDS = new Set([
  'id',
  'name',
  'system',
  'type',
  'every',
  'cron',
  'timeout',
  'from',
  'tags',
]);
const SHOWN_CHANNEL_FIELDS = new Set(['id', 'organisation', 'name', 'type']);

/** What happens to a value from `${NAME}` at this place in the estate file. */
export function placementOf(path: Path): Placement {
  const [list, , field] = path;
  if (list === 'checks' && typeof field === 'string') {
    return SHOWN_CHECK_FIELDS.has(field) ? 'refused' : 'reference';
  }
  if (list === 'channels' && typeof field === 'string') {
    return SHOWN_CHANNEL_FIELDS.has(field) ? 'refused' : 'reference';
  }
  // Settings configure this server; they are never stored or shown.
  if (list === 'settings') return 'resolved';
  // The identity provider's client secret is kept as its reference and read where it is sent.
  if (isClientSecret(path)) return 'reference';
  return 'refused';
}

const isClientSecret = (path: Path) =>
  path.length === 3 && path[0] === 'access' && path[1] === 'oidc' && path[2] === 'clientSecret';

/**
 * A secret written into the file itself (the identity provider's client secret, the SMTP password, a
 * webhook's signing secret): refused, since the estate file is read by many and often kept in version
 * control. Said where it is, with what to do instead.
 */
export function literalSecretIssues(raw: unknown, sources: EnvSource[]): PathIssue[] {
  const fromEnv = new Set(sources.map((source) => source.path.join('\u0000')));
  return secretFields(raw)
    .filter(({ path }) => !fromEnv.has(path.join('\u0000')))
    .map(({ path, what, example }) => ({
      path,
      message:
        `the ${what} is written in the estate file: put it in an environment variable and write its name here, as $` +
        `{${example}}`,
    }));
}

interface SecretField {
  path: Path;
  what: string;
  example: string;
}

/** Where the estate holds secrets that must come from the environment, when they are given. */
function secretFields(raw: unknown): SecretField[] {
  const document = raw as {
    access?: { oidc?: { clientSecret?: unknown } };
    settings?: { smtp?: { password?: unknown } };
    channels?: unknown;
  } | null;
  const given = (value: unknown) => typeof value === 'string' && value !== '';
  const fields: SecretField[] = [];
  if (given(document?.access?.oidc?.clientSecret))
    fields.push({
      path: ['access', 'oidc', 'clientSecret'],
      what: 'client secret',
      example: 'VANTAGE_OIDC_SECRET',
    });
  if (given(document?.settings?.smtp?.password))
    fields.push({ path: ['settings', 'smtp', 'password'], what: 'SMTP password', example: 'SMTP_PASSWORD' });
  if (Array.isArray(document?.channels)) {
    document.channels.forEach((channel: unknown, index) => {
      if (given((channel as { secret?: unknown } | null)?.secret))
        fields.push({
          path: ['channels', index, 'secret'],
          what: 'signing secret',
          example: 'WEBHOOK_SECRET',
        });
    });
  }
  return fields;
}

/** Names each reference in the text as written, so the message says which variable is misplaced. */
function refusedMessage(raw: string): string {
  const references = [...raw.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => `\${${match[1]}}`);
  return (
    `takes its value from ${[...new Set(references)].join(' and ')}, which makes it a secret, but this field ` +
    "is shown: write the value itself (a value from the environment may be used in a check's target, " +
    "its type's own fields and expect, a channel's fields, and settings)"
  );
}

/** One issue for every secret placed where it would be shown. */
export function refusedSecretIssues(sources: EnvSource[]): PathIssue[] {
  return sources
    .filter((source) => placementOf(source.path) === 'refused')
    .map((source) => ({ path: source.path, message: refusedMessage(source.raw) }));
}

/** The estate with each secret back in its reference form; `estate` is changed in place and returned. */
export function withReferences(estate: Estate, sources: EnvSource[]): Estate {
  for (const source of sources) {
    if (placementOf(source.path) !== 'reference') continue;
    const parent = source.path
      .slice(0, -1)
      .reduce<unknown>((at, key) => (at as Record<string | number, unknown> | undefined)?.[key], estate);
    const key = source.path.at(-1);
    if (parent === null || typeof parent !== 'object' || key === undefined) continue;
    const holder = parent as Record<string | number, unknown>;
    // The schema keeps such strings as they are; anything it turned into another value stays resolved.
    if (typeof holder[key] === 'string') holder[key] = source.raw;
  }
  return estate;
}
