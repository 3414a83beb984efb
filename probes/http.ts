import { Attempt } from './attempt.js';
import { ProbeFailure } from './failure.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_REDIRECTS } from './http-defaults.js';
import { type Exchange, exchange, type HopAnswer } from './http-exchange.js';
import { checkAnswer } from './http-expect.js';
import type { HttpSpec } from './http-fields.js';
import type { ProbeRunner } from './kind.js';
import type { PatternMatcher } from './pattern-matcher.js';
import type { ProbeResult } from './result.js';
import { readCaFile } from './tls-session.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that must not follow a redirect to another host. */
const PRIVATE_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'host']);

async function runHttp(spec: HttpSpec, signal: AbortSignal, matcher: PatternMatcher): Promise<ProbeResult> {
  const attempt = new Attempt(spec, signal);
  try {
    const maxRedirects = spec.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    const maxBodyBytes = spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const caText = spec.ca === undefined ? undefined : await readCaFile(spec.ca, attempt);
    let request: Exchange = {
      url: new URL(spec.target),
      method: spec.method ?? 'GET',
      headers: spec.headers ?? {},
      body: spec.body,
      maxBodyBytes,
      tls: { servername: spec.servername, insecure: spec.insecure, caText },
    };
    // Made on the first redirect, when `request` is still the first one: most runs have none.
    let seen: Set<string> | undefined;
    let redirects = 0;
    attempt.details.redirects = 0;
    for (;;) {
      const answer = await exchange(request, attempt);
      attempt.status = answer.status;
      const next = maxRedirects > 0 ? redirected(request, answer) : undefined;
      if (next === undefined) {
        attempt.answered();
        attempt.details.bodyBytes = answer.body.length;
        if (answer.capped) attempt.details.bodyCappedAt = maxBodyBytes;
        return attempt.finish(
          await checkAnswer(spec.expect, answer, attempt, matcher),
          spec.expect?.degradedMs,
        );
      }
      seen ??= new Set([request.url.href]);
      if (seen.has(next.url.href)) {
        throw new ProbeFailure(
          'assertion',
          `redirect loop: ${request.url.href} redirects back to ${next.url.href}`,
        );
      }
      if (redirects === maxRedirects) {
        throw new ProbeFailure(
          'assertion',
          `more than ${maxRedirects} redirects (the next would go to ${next.url.href})`,
        );
      }
      redirects += 1;
      attempt.details.redirects = redirects;
      seen.add(next.url.href);
      request = next;
    }
  } catch (error) {
    return attempt.fail(error);
  } finally {
    attempt.close();
  }
}

/** The request a redirect asks for, as browsers make it; undefined when the answer is not one. */
function redirected(request: Exchange, answer: HopAnswer): Exchange | undefined {
  if (!REDIRECTS.has(answer.status) || answer.location === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(answer.location, request.url);
  } catch {
    throw new ProbeFailure('assertion', `redirect to '${answer.location}', which is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProbeFailure('assertion', `redirect to ${url.href}, which is not http or https`);
  }
  const toGet =
    (answer.status === 303 && request.method !== 'HEAD') ||
    ((answer.status === 301 || answer.status === 302) && request.method === 'POST');
  const sameHost = url.host === request.url.host;
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([name]) => sameHost || !PRIVATE_HEADERS.has(name.toLowerCase())),
  );
  return {
    ...request,
    url,
    method: toGet ? 'GET' : request.method,
    body: toGet ? undefined : request.body,
    headers,
  };
}

/**
 * The http probe, matching body patterns on `matcher`'s thread. Made by a function so the matcher
 * is its dependency, given where the registry of runners is built (and by tests their own).
 */
export const httpProbe = (matcher: PatternMatcher) =>
  ({
    type: 'http' as const,
    summary: 'an HTTP or HTTPS request, timed phase by phase',
    example: 'https://epr.example.org/login',
    checkTarget(target) {
      let url: URL;
      try {
        url = new URL(target);
      } catch {
        return `'${target}' is not a URL (expected http://host/path or https://host/path)`;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return `'${target}' must start with http:// or https://`;
      }
      // The URL parser takes port 0, which would be dialled as the scheme's default port.
      if (url.port === '0') return `'${target}' has an invalid port (1 to 65535)`;
      return undefined;
    },
    run: (spec: HttpSpec, signal: AbortSignal) => runHttp(spec, signal, matcher),
  }) satisfies ProbeRunner;
