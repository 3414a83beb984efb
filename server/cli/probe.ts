import { timeoutMs } from '../../common/check-defaults.js';
import { type Env, resolveEnv, secretsIn, unsetNames } from '../../common/env-references.js';
import { redactor, resultRedactor } from '../../common/redact.js';
import { didYouMean } from '../../common/suggest.js';
import { caFileProblem } from '../../probes/ca-file.js';
import { expiryText } from '../../probes/certificate.js';
import { checkSchema } from '../../probes/check-schema.js';
import { probeKinds, probeTypes } from '../../probes/registry.js';
import type { Phases, ProbeResult } from '../../probes/result.js';
import { runProbe } from '../../probes/run.js';
import { shownTarget } from '../estate/view.js';
import { parseCommand, UsageError } from './usage.js';

const OPTIONS = {
  timeout: { type: 'string', default: '10s' },
  json: { type: 'boolean', default: false },
  insecure: { type: 'boolean' },
  ca: { type: 'string' },
  servername: { type: 'string' },
  method: { type: 'string' },
  header: { type: 'string', multiple: true },
  body: { type: 'string' },
  'expect-status': { type: 'string' },
  'expect-body': { type: 'string' },
  'expect-match': { type: 'string' },
  'expect-answer': { type: 'string', multiple: true },
  'degraded-ms': { type: 'string' },
  'max-redirects': { type: 'string' },
  record: { type: 'string' },
  server: { type: 'string' },
  send: { type: 'string' },
  'expect-banner': { type: 'string' },
  'min-days': { type: 'string' },
} as const;

type Option = Exclude<keyof typeof OPTIONS, 'json'>;

/** Where each option goes in an estate-file check, so the estate schema's rules apply unchanged. */
const FIELDS: Record<Option, string> = {
  timeout: 'timeout',
  insecure: 'insecure',
  ca: 'ca',
  servername: 'servername',
  method: 'method',
  header: 'headers',
  body: 'body',
  'expect-status': 'expect.status',
  'expect-body': 'expect.bodyContains',
  'expect-match': 'expect.bodyMatches',
  'expect-answer': 'expect.answers',
  'degraded-ms': 'expect.degradedMs',
  'max-redirects': 'maxRedirects',
  record: 'record',
  server: 'server',
  send: 'send',
  'expect-banner': 'expectBanner',
  'min-days': 'expect.minDaysToExpiry',
};

type Values = ReturnType<typeof parseCommand<typeof OPTIONS>>['values'];

/**
 * `vantage probe TYPE TARGET [options]`: one check now, for a person or (--json) a program. Any
 * argument may use `${NAME}` as the estate file does (quoted, so the shell leaves it): its value is
 * a secret, probed with but printed as its reference.
 */
export async function probeCommand(
  args: string[],
  out: (line: string) => void,
  env: Env = process.env,
): Promise<number> {
  const { values, positionals } = parseCommand('probe', args, OPTIONS, 2);
  const [type, target] = positionals;
  if (type === undefined || target === undefined) {
    throw new UsageError(
      'vantage probe: give a type and a target, such as: vantage probe http https://epr.example.org/',
    );
  }
  if (!Object.hasOwn(probeKinds, type)) {
    throw new UsageError(
      `vantage probe: unknown type '${type}'${didYouMean(type, probeTypes)}; one of ${probeTypes.join(', ')}`,
    );
  }
  const written = checkFrom(type, target, values);
  const unset = unsetNames(written, env);
  if (unset.length > 0) {
    throw new UsageError(
      `vantage probe: environment variable${unset.length === 1 ? '' : 's'} ${unset.join(', ')} ${unset.length === 1 ? 'is' : 'are'} not set`,
    );
  }
  const secrets = secretsIn(written, env);
  const parsed = checkSchema.safeParse(resolveEnv(written, env));
  if (!parsed.success) throw new UsageError(redactor(secrets)(describeIssues(type, parsed.error.issues)));
  const check = parsed.data;
  // The estate file's loader reads the CA file up front; so does this, so a typo is the caller's.
  const caProblem = 'ca' in check && check.ca !== undefined ? caFileProblem(check.ca) : undefined;
  if (caProblem) throw new UsageError(`vantage probe: --ca: ${caProblem}`);
  const result = resultRedactor(secrets)(await runProbe(check, AbortSignal.timeout(timeoutMs(check))));
  if (values.json) out(JSON.stringify(result));
  else for (const line of formatResult(check.type, shownTarget(target), result)) out(line);
  return exitCode(result);
}

export function exitCode(result: ProbeResult): number {
  return result.ok ? 0 : 1;
}

/** The check the estate file would hold for these options, with placeholder id and system. */
function checkFrom(type: string, target: string, values: Values): Record<string, unknown> {
  const check: Record<string, unknown> = { id: 'adhoc', system: 'adhoc', type, target };
  const given: Partial<Record<Option, unknown>> = {
    timeout: values.timeout,
    insecure: values.insecure || undefined,
    ca: values.ca,
    servername: values.servername,
    method: values.method?.toUpperCase(),
    header: values.header && Object.fromEntries(values.header.map(header)),
    body: values.body,
    'expect-status': values['expect-status']?.split(',').map(status),
    'expect-body': values['expect-body'],
    'expect-match': values['expect-match'],
    'expect-answer': values['expect-answer'],
    'degraded-ms': count('degraded-ms', values['degraded-ms']),
    'max-redirects': count('max-redirects', values['max-redirects']),
    record: values.record?.toUpperCase(),
    server: values.server,
    send: values.send === undefined ? undefined : controlCharacters(values.send),
    'expect-banner': values['expect-banner'],
    'min-days': count('min-days', values['min-days']),
  };
  for (const [option, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const [first, second] = FIELDS[option as Option].split('.') as [string, string | undefined];
    if (second === undefined) check[first] = value;
    else check[first] = { ...(check[first] as object | undefined), [second]: value };
  }
  return check;
}

function header(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = text.slice(0, colon).trim();
  if (colon < 1 || name === '')
    throw new UsageError(`vantage probe: --header is written "Name: value", not '${text}'`);
  return [name, text.slice(colon + 1).trim()];
}

function status(text: string): number | string {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function count(option: Option, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text))
    throw new UsageError(`vantage probe: --${option} must be a whole number, not '${text}'`);
  return Number(text);
}

/** A shell passes "\r\n" as four characters; the estate file's YAML would have turned them into two. */
function controlCharacters(text: string): string {
  const escapes: Record<string, string> = { r: '\r', n: '\n', t: '\t', '\\': '\\' };
  return text.replace(/\\([rnt\\])/g, (_, letter: string) => escapes[letter] ?? letter);
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

/** The estate schema's complaints, said in terms of the command's options. */
function describeIssues(type: string, issues: readonly Issue[]): string {
  const lines = issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return (issue.keys ?? []).map((key) => `${optionFor([...path, key])} does not apply to ${type} checks`);
    }
    return [`${optionFor(path)}: ${issue.message}`];
  });
  return lines.map((line) => `vantage probe: ${line}`).join('\n');
}

function optionFor(path: string[]): string {
  if (path[0] === 'target') return 'TARGET';
  const dotted = path.join('.');
  const match = Object.entries(FIELDS).find(
    ([, field]) => dotted === field || dotted.startsWith(`${field}.`),
  );
  return match ? `--${match[0]}` : dotted;
}

const BAR_WIDTH = 40;
const PHASES = [
  ['dns', 'dnsMs'],
  ['connect', 'connectMs'],
  ['tls', 'tlsMs'],
  ['ttfb', 'ttfbMs'],
  ['transfer', 'transferMs'],
] as const satisfies readonly (readonly [string, keyof Phases])[];

/** The verdict, a waterfall of the phases in time order, and the facts a person looks for next. */
export function formatResult(type: string, target: string, result: ProbeResult): string[] {
  // A probe this machine could not make says nothing of the target.
  const verdict =
    result.error?.class === 'local'
      ? 'NOT RUN'
      : { ok: 'OK', degraded: 'DEGRADED', fail: 'FAILED' }[result.state];
  const why = result.error ? `: ${result.error.message} [${result.error.class}]` : '';
  const lines = [`${verdict} ${type} ${target} in ${ms(result.phases.totalMs)}${why}`, ''];
  lines.push(...waterfall(result.phases), '');
  const facts: [string, string | number | undefined][] = [
    ['status', result.status],
    ['redirects', result.details?.redirects],
    ['address', result.details?.address],
    ['body', bodyText(result)],
    ['answers', result.details?.answers?.join(', ')],
    ['banner', result.details?.banner && JSON.stringify(result.details.banner)],
    ['certificate', result.details?.certificate && certificateText(result)],
    ['chain', result.details?.chain?.map((cert) => cert.subject).join(' < ')],
  ];
  for (const [name, value] of facts) {
    if (value !== undefined && value !== '') lines.push(`  ${name.padEnd(12)} ${value}`);
  }
  return lines;
}

/** One line per phase that happened; each bar starts where the previous phase ended. */
function waterfall(phases: Phases): string[] {
  const total = Math.max(phases.totalMs, 0.001);
  const column = (at: number) => Math.min(BAR_WIDTH, Math.round((at / total) * BAR_WIDTH));
  const lines: string[] = [];
  let elapsed = 0;
  for (const [name, key] of PHASES) {
    const value = phases[key];
    if (value === null) continue;
    const start = column(elapsed);
    const length = Math.max(1, column(elapsed + value) - start);
    lines.push(`  ${name.padEnd(9)}${ms(value).padStart(11)}  ${' '.repeat(start)}${'█'.repeat(length)}`);
    elapsed += value;
  }
  lines.push(`  ${'total'.padEnd(9)}${ms(phases.totalMs).padStart(11)}`);
  return lines;
}

function bodyText(result: ProbeResult): string | undefined {
  const { bodyBytes, bodyCappedAt } = result.details ?? {};
  if (bodyBytes === undefined) return undefined;
  return bodyCappedAt === undefined
    ? `${bodyBytes} bytes`
    : `${bodyBytes} bytes read, cut at ${bodyCappedAt}`;
}

function certificateText(result: ProbeResult): string {
  const cert = result.details?.certificate;
  return cert ? `${expiryText(cert)}, issued by ${cert.issuer}` : '';
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}
