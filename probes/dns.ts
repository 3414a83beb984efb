import { Resolver } from 'node:dns/promises';
import { DEFAULT_TIMEOUT } from '../common/check-defaults.js';
import { durationMs } from '../common/duration.js';
import { Attempt } from './attempt.js';
import { codeOf } from './classify.js';
import type { DnsSpec } from './dns-fields.js';
import { ProbeFailure, Stopped } from './failure.js';
import type { ProbeRunner } from './kind.js';
import { formatAddress, resolveHost } from './resolve.js';
import type { ProbeResult } from './result.js';
import { isHostname, parseHostPort } from './target.js';
import { emptyPhases, since } from './timing.js';

type RecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT';

async function runDns(spec: DnsSpec, signal: AbortSignal): Promise<ProbeResult> {
  const attempt = new Attempt(spec, signal);
  try {
    const phases = attempt.hop();
    const record = spec.record ?? 'A';
    // c-ares gives up at the check's timeout too, with one try, so it never outlives the run.
    const resolver = new Resolver({ timeout: durationMs(spec.timeout ?? DEFAULT_TIMEOUT), tries: 1 });
    attempt.own({ destroy: () => resolver.cancel() });
    const at = await useServer(resolver, spec.server, attempt);
    const started = performance.now();
    let answers: string[];
    try {
      answers = await attempt.wait(
        `waiting for the DNS answer from ${at}`,
        query(resolver, spec.target, record),
      );
    } catch (error) {
      if (error instanceof Stopped) throw error;
      throw queryFailure(error, spec.target, record, at, attempt);
    } finally {
      phases.dnsMs = since(started);
    }
    attempt.details.answers = answers;
    const missing = (spec.expect?.answers ?? []).filter(
      (expected) => !answers.some((answer) => sameAnswer(answer, expected)),
    );
    if (missing.length === 0) return attempt.finish(undefined, spec.expect?.degradedMs);
    const got = answers.length > 0 ? answers.join(', ') : 'none';
    const what = missing.length === 1 ? `answer ${missing[0]} is` : `answers ${missing.join(', ')} are`;
    return attempt.finish(
      { class: 'assertion', message: `expected ${record} ${what} missing for ${spec.target} (got ${got})` },
      undefined,
    );
  } catch (error) {
    return attempt.fail(error);
  } finally {
    attempt.close();
  }
}

/** Points the resolver at the check's server, if any; returns where the query goes, for messages. */
async function useServer(resolver: Resolver, server: string | undefined, attempt: Attempt): Promise<string> {
  if (server === undefined) {
    const at = resolver.getServers().join(', ');
    return at === '' ? 'the system resolver' : at;
  }
  const { host, port } = parseHostPort(server, 53) as { host: string; port: number };
  // setServers takes addresses only; a server given by name is looked up first (not part of dnsMs).
  const [ip] = await resolveHost(host, attempt, emptyPhases());
  const address = formatAddress(ip ?? host, port);
  resolver.setServers([address]);
  attempt.details.address = address;
  return address;
}

async function query(resolver: Resolver, name: string, record: RecordType): Promise<string[]> {
  switch (record) {
    case 'A':
      return resolver.resolve4(name);
    case 'AAAA':
      return resolver.resolve6(name);
    case 'CNAME':
      return resolver.resolveCname(name);
    case 'MX':
      return (await resolver.resolveMx(name)).map((mx) => `${mx.priority} ${mx.exchange}`);
    case 'TXT':
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
  }
}

function queryFailure(error: unknown, name: string, record: RecordType, at: string, attempt: Attempt) {
  switch (codeOf(error)) {
    case 'ENOTFOUND':
      return new ProbeFailure('dns', `${name} does not exist (NXDOMAIN) at ${at}`);
    case 'ENODATA':
      return new ProbeFailure('dns', `${name} has no ${record} records at ${at}`);
    case 'ESERVFAIL':
      return new ProbeFailure('dns', `${at} could not answer for ${name} (SERVFAIL)`);
    case 'EREFUSED':
      return new ProbeFailure('dns', `${at} refused to answer for ${name} (REFUSED)`);
    case 'ECONNREFUSED':
      return new ProbeFailure('refused', `DNS server ${at} refused the connection`);
    case 'ETIMEOUT':
      return new ProbeFailure('timeout', attempt.timeoutMessage());
    default:
      return new ProbeFailure(
        'dns',
        `DNS query for ${record} ${name} at ${at} failed (${codeOf(error) ?? String(error)})`,
      );
  }
}

/** Names compare without case or a trailing dot; "10 mail.example.org" compares the same way. */
function sameAnswer(answer: string, expected: string): boolean {
  const normal = (text: string) => text.trim().toLowerCase().replace(/\.$/, '');
  return normal(answer) === normal(expected);
}

export const dns = {
  type: 'dns' as const,
  summary: 'a DNS lookup against a given server or the system resolver',
  example: 'epr.example.org',
  checkTarget(target) {
    return isHostname(target)
      ? undefined
      : `'${target}' is not a domain name (expected a name such as epr.example.org)`;
  },
  run: runDns,
} satisfies ProbeRunner;
