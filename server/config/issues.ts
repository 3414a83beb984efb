import type { z } from 'zod';
import { valueText } from '../../common/fields.js';
import { didYouMean } from '../../common/suggest.js';
import type { PathIssue } from './references.js';

type Issue = z.core.$ZodIssue;

/** Turns one zod issue into messages a person can act on, at the paths they are about. */
export function issueToPathIssues(issue: Issue, raw: unknown): PathIssue[] {
  const path = issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
  switch (issue.code) {
    case 'unrecognized_keys': {
      const messages = issue.message.split('\n');
      return issue.keys.map((key, i) => ({
        path: [...path, key],
        atKey: true,
        message: messages[i] ?? `unknown key '${key}'`,
      }));
    }
    case 'invalid_type': {
      if (issue.input === undefined) {
        // Said of the entity that lacks the field, and located there.
        return [{ path: path.slice(0, -1), message: `missing required field '${String(path.at(-1))}'` }];
      }
      return [{ path, message: `expected ${article(issue.expected)}, got ${describe(issue.input)}` }];
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      const input = valueText(issue.input);
      return [{ path, message: `'${input}' is not one of ${values.join(', ')}${didYouMean(input, values)}` }];
    }
    case 'invalid_union': {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      if (discriminator !== undefined) {
        const known = knownDiscriminators(issue);
        const at = path.at(-1) === discriminator ? path : [...path, discriminator];
        const value = lookup(raw, at);
        if (value === undefined)
          return [{ path: at.slice(0, -1), message: `missing required field '${discriminator}'` }];
        return [
          {
            path: at,
            message: `unknown ${discriminator} '${valueText(value)}'${didYouMean(valueText(value), known)}; known ${discriminator}s: ${known.join(', ')}`,
          },
        ];
      }
      return [{ path, message: issue.message }];
    }
    // zod's own size messages start "Too small"/"Too big"; a schema's custom message is kept as it is.
    case 'too_small':
    case 'too_big': {
      if (!isDefault(issue.message)) return [{ path, message: issue.message }];
      const message =
        issue.code === 'too_small'
          ? sizeMessage('at least', issue.origin, issue.minimum)
          : sizeMessage('at most', issue.origin, issue.maximum);
      return [{ path, message }];
    }
    default:
      return [{ path, message: issue.message }];
  }
}

function isDefault(message: string): boolean {
  return /^Too (small|big)/.test(message);
}

function sizeMessage(bound: string, origin: string, limit: number | bigint): string {
  if (origin === 'array' || origin === 'set')
    return `must list ${bound} ${limit} item${limit === 1 ? '' : 's'}`;
  if (origin === 'string') return `must be ${bound} ${limit} character${limit === 1 ? '' : 's'} long`;
  return `must be ${bound} ${limit}`;
}

function article(expected: string): string {
  if (expected === 'object') return 'a mapping (key: value)';
  if (expected === 'array') return 'a list';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describe(input: unknown): string {
  if (input === null) return 'nothing (null)';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return `the text '${input}'`;
  return `the ${typeof input} ${String(input)}`;
}

function knownDiscriminators(issue: Issue): string[] {
  const options = (issue as { options?: unknown[] }).options;
  return Array.isArray(options) ? options.map(String) : [];
}

function lookup(raw: unknown, path: (string | number)[]): unknown {
  let value = raw;
  for (const segment of path) {
    // Only the file's own keys: `toString` is not in a mapping because every object inherits one.
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}
