import { readFileSync } from 'node:fs';
import { CORE_SCHEMA, load } from 'js-yaml';
import { LineCounter, parseDocument } from 'yaml';
import { checkFieldsSchema } from '../../common/check-fields.js';
import { redactor } from '../../common/redact.js';
import { probeKinds } from '../../probes/registry.js';
import { type Env, type Secret, substituteEnv, substituteEnvValues } from './env.js';
import { fileIssues } from './files.js';
import { issueToPathIssues } from './issues.js';
import { locate } from './locate.js';
import { type PathIssue, referenceIssues } from './references.js';
import { type Estate, entityKinds, estateSchema } from './schema.js';
import { literalSecretIssues, refusedSecretIssues, withReferences } from './secrets.js';
import { emailChannelIssues } from './smtp.js';
import { syntaxMistakes } from './yaml-errors.js';

/** One problem in an estate file, printed as `FILE:LINE:COL: message`. */
export interface ConfigError {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** A valid estate, with every value that came from `${NAME}` (for redacting them wherever they might appear). */
export type LoadResult =
  | { ok: true; estate: Estate; secrets: Secret[] }
  | { ok: false; errors: ConfigError[] };

export type { Env };

export function formatConfigError(error: ConfigError): string {
  return `${error.file}:${error.line}:${error.col}: ${error.message}`;
}

export function loadEstateFile(file: string, env: Env = process.env): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return {
      ok: false,
      errors: [{ file, line: 1, col: 1, message: `cannot read the estate file: ${reason}` }],
    };
  }
  return parseEstate(text, file, env);
}

/**
 * Validates an estate document and reports every problem found, each with its line and column. The
 * values it checks are resolved; the estate it gives keeps each secret as its `${NAME}` reference.
 */
export function parseEstate(text: string, file: string, env: Env = process.env): LoadResult {
  return validWithoutLocations(text, env) ?? validateLocated(text, file, env);
}

/**
 * The fast path: js-yaml keeps no positions and parses a large estate about ten times faster. It
 * only ever accepts; anything wrong goes to the located path, which decides and says where.
 */
export function validWithoutLocations(text: string, env: Env): LoadResult | undefined {
  // Anchors can make a small file expand enormously; the located path limits that, so it takes them.
  if (ANCHOR.test(text)) return undefined;
  let raw: unknown;
  try {
    raw = load(text, { schema: CORE_SCHEMA }) ?? {};
  } catch {
    return undefined;
  }
  const substituted = substituteEnvValues(raw, env);
  if (!substituted) return undefined;
  if (refusedSecretIssues(substituted.sources).length > 0) return undefined;
  if (literalSecretIssues(substituted.value, substituted.sources).length > 0) return undefined;
  const parsed = estateSchema.safeParse(substituted.value);
  if (!parsed.success || referenceIssues(substituted.value).length > 0) return undefined;
  if (fileIssues(substituted.value).length > 0) return undefined;
  if (emailChannelIssues(substituted.value).length > 0) return undefined;
  return {
    ok: true,
    estate: withReferences(parsed.data, substituted.sources),
    secrets: substituted.sources.flatMap((source) => source.used),
  };
}

const ANCHOR = /(?:^|[\s[{,:-])&[^\s,[\]{}]+/m;

export function validateLocated(text: string, file: string, env: Env): LoadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, errors: syntaxMistakes(text, doc.errors, lines).map((at) => ({ file, ...at })) };
  }

  const { issues: envIssues, sources } = substituteEnv(doc.contents, env);
  // A field whose variable is unset is reported once, not again for the empty text left behind.
  const unsetPaths = new Set(envIssues.map((issue) => issue.path.join('\u0000')));
  const pathIssues: PathIssue[] = [...envIssues, ...refusedSecretIssues(sources)];
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 }) ?? {};
  } catch (error) {
    return {
      ok: false,
      errors: [{ file, line: 1, col: 1, message: `YAML: ${firstLine((error as Error).message)}` }],
    };
  }

  const parsed = estateSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      for (const found of issueToPathIssues(issue, raw)) {
        if (!unsetPaths.has(found.path.join('\u0000'))) pathIssues.push(found);
      }
    }
  }
  pathIssues.push(...unknownTypeCheckIssues(raw));
  pathIssues.push(...referenceIssues(raw));
  pathIssues.push(...literalSecretIssues(raw, sources));
  pathIssues.push(...fileIssues(raw));
  pathIssues.push(...emailChannelIssues(raw));

  if (pathIssues.length === 0 && parsed.success) {
    return {
      ok: true,
      estate: withReferences(parsed.data, sources),
      secrets: sources.flatMap((source) => source.used),
    };
  }

  // A message may quote the value it found wrong: one from the environment is said by its name.
  const redact = redactor(sources.flatMap((source): Secret[] => source.used));
  const errors = dedupe(pathIssues).map((issue) => {
    const at = locate(doc, lines, issue.path, issue.atKey);
    let message = `${describePath(raw, issue.path)}${issue.message}`;
    if (issue.related) message += ` (first defined at line ${locate(doc, lines, issue.related).line})`;
    return { file, line: at.line, col: at.col, message: redact(message) };
  });
  errors.sort((a, b) => a.line - b.line || a.col - b.col);
  return { ok: false, errors };
}

/** A check of an unknown type matches no variant, so zod says nothing of its other fields: check those too. */
function unknownTypeCheckIssues(raw: unknown): PathIssue[] {
  const checks = (raw as { checks?: unknown }).checks;
  if (!Array.isArray(checks)) return [];
  return checks.flatMap((check: unknown, index) => {
    const type = (check as { type?: unknown } | null)?.type;
    if (
      typeof check !== 'object' ||
      check === null ||
      (typeof type === 'string' && Object.hasOwn(probeKinds, type))
    )
      return [];
    const parsed = checkFieldsSchema.safeParse(check, { reportInput: true });
    if (parsed.success) return [];
    return parsed.error.issues.flatMap((issue) =>
      issueToPathIssues({ ...issue, path: ['checks', index, ...issue.path] } as typeof issue, raw),
    );
  });
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function dedupe(issues: PathIssue[]): PathIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path.join('\u0000')}|${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "check 'epr-login' field 'expect.status': " — which entity and field a message is about. */
export function describePath(raw: unknown, path: (string | number)[]): string {
  const [list, index, ...rest] = path;
  const kind = typeof list === 'string' ? (entityKinds as Record<string, string>)[list] : undefined;
  if (kind === undefined || typeof index !== 'number') {
    return path.length > 0 ? `${formatField(path)}: ` : '';
  }
  const items = (raw as Record<string, unknown>)[list as string];
  const item = Array.isArray(items) ? (items[index] as Record<string, unknown> | undefined) : undefined;
  const id = typeof item?.id === 'string' && item.id !== '' ? `'${item.id}'` : `#${index + 1}`;
  return rest.length > 0 ? `${kind} ${id} field '${formatField(rest)}': ` : `${kind} ${id}: `;
}

function formatField(path: (string | number)[]): string {
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
}
