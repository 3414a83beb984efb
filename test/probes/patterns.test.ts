import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { patternProblem } from '../../probes/body-pattern.js';
import { httpProbe } from '../../probes/http.js';
import { PatternMatcher } from '../../probes/pattern-matcher.js';
import { startServer } from '../../server/serve.js';
import { apiTokenIn } from '../helpers/as-admin.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';
import { check, probe } from './run.js';
import { useServers } from './servers.js';

const servers = useServers();
const tmp = useTmpDir();

/** The body that makes a backtracking engine try 2^40 ways to match `(a+)+$`. */
const HOSTILE_BODY = `${'a'.repeat(40)}!`;

describe('expect.bodyMatches', () => {
  it('refuses patterns that cannot be matched in linear time, and overlong ones, saying why', () => {
    expect(patternProblem('Sign\\s+in')).toBeUndefined();
    expect(patternProblem('(a+)+$')).toBeUndefined();
    expect(patternProblem('(a)\\1')).toMatch(
      /not a pattern Vantage can match in linear time.*\\1.*RE2 syntax/,
    );
    expect(patternProblem('(?=a)b')).toMatch(/lookaround/);
    expect(patternProblem('[')).toMatch(/missing closing \]/);
    expect(patternProblem('a'.repeat(1001))).toMatch(/at most 1000 characters/);
  });

  it('matches (a+)+$ against forty a and a ! at once, as a miss', async () => {
    const server = await servers.http((_req, res) => res.end(HOSTILE_BODY));
    const started = performance.now();
    const result = await probe({ type: 'http', target: server.origin, expect: { bodyMatches: '(a+)+$' } });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result.error).toEqual({ class: 'assertion', message: 'the body does not match /(a+)+$/' });
  });

  it('matches a long body, both ways', async () => {
    const long = `${'x'.repeat(200_000)}<p>Sign in</p>`;
    const server = await servers.http((_req, res) => res.end(long));
    const hit = await probe({ type: 'http', target: server.origin, expect: { bodyMatches: 'Sign\\s+in' } });
    expect(hit.error).toBeUndefined();
    expect(hit.ok).toBe(true);
    const miss = await probe({ type: 'http', target: server.origin, expect: { bodyMatches: '^Sign' } });
    expect(miss.error?.class).toBe('assertion');
  });

  it('ends a long match at the check timeout, blaming the pattern, without holding the event loop', async () => {
    const server = await servers.http((_req, res) => res.end(costlyBody(1024 * 1024)));
    const gaps = watchEventLoop();
    try {
      const result = await probe({
        type: 'http',
        target: server.origin,
        timeout: '700ms',
        expect: { bodyMatches: COSTLY_PATTERN },
      });
      expect(result.error, JSON.stringify(result)).toEqual({
        class: 'assertion',
        message: `matching the body against /${COSTLY_PATTERN}/ did not finish within the check's timeout: simplify the pattern or lower maxBodyBytes`,
      });
    } finally {
      gaps.stop();
    }
    expect(gaps.longest()).toBeLessThan(200);
  });

  it('gives up one match past its time limit, failing that check, and matches the next on a new thread', async () => {
    const matcher = new PatternMatcher({ limitMs: 300 });
    const http = httpProbe(matcher);
    try {
      const costly = await servers.http((_req, res) => res.end(costlyBody(256 * 1024)));
      const plain = await servers.http((_req, res) => res.end('<p>Sign in</p>'));
      const spec = (target: string, bodyMatches: string) =>
        check({ type: 'http', target, expect: { bodyMatches } }) as Parameters<typeof http.run>[0];
      // Both at once: the second waits its turn behind the first, which is ended at the limit.
      const started = performance.now();
      const [slow, next] = await Promise.all([
        http.run(spec(costly.origin, COSTLY_PATTERN), AbortSignal.timeout(10_000)).then((result) => ({
          ...result,
          elapsedMs: performance.now() - started,
        })),
        http.run(spec(plain.origin, 'Sign\\s+in'), AbortSignal.timeout(10_000)),
      ]);
      expect(slow.error).toEqual({
        class: 'assertion',
        message: `matching the body against /${COSTLY_PATTERN}/ took over 0.3 s and was given up: simplify the pattern or lower maxBodyBytes`,
      });
      // The time spent matching is not the system's: totalMs ends when the answer was in.
      expect(slow.phases.totalMs).toBeLessThanOrEqual(slow.elapsedMs - 300);
      expect(next.error).toBeUndefined();
      expect(next.ok).toBe(true);
    } finally {
      matcher.close();
    }
  });

  it('cancels a queued match, and ends a running one, when its run ends', async () => {
    const matcher = new PatternMatcher({ limitMs: 60_000 });
    try {
      const running = matcher.match(COSTLY_PATTERN, costlyBody(256 * 1024).toString());
      const queued = matcher.match('b', 'abc');
      queued.cancel();
      await expect(queued.matched).rejects.toThrow('the match was cancelled');
      running.cancel();
      await expect(running.matched).rejects.toThrow('the match was cancelled');
      // The thread that was ended is replaced for the next match.
      await expect(matcher.match('Sign\\s+in', 'Sign  in').matched).resolves.toBe(true);
    } finally {
      matcher.close();
    }
  });

  it('never stalls a running server: /healthz answers within 100 ms while the check runs', async () => {
    const target = await servers.http((_req, res) => res.end(HOSTILE_BODY));
    const dir = tmp();
    const configFile = join(dir, 'estate.yaml');
    writeFileSync(
      configFile,
      `organisations: [{ id: riverside, name: Riverside, kind: acute }]
systems: [{ id: epr, name: EPR, owner: riverside }]
checks:
  - id: epr-home
    system: epr
    type: http
    target: ${target.origin}/
    every: 1s
    expect: { bodyMatches: "(a+)+$" }
`,
    );
    const server = await startServer({
      configFile,
      dbFile: join(dir, 'vantage.db'),
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
    });
    const headers = await apiTokenIn(join(dir, 'vantage.db'));
    const results = async () => {
      const response = await fetch(new URL('/api/v1/checks/epr-home/results?limit=100', server.url), {
        headers,
      });
      return ((await response.json()) as { items: { startedAt: string; error?: { message: string } }[] })
        .items;
    };
    try {
      // Once the check has run (the server warmed up, the matching thread started), for as long
      // again as it takes to run twice more.
      const first = await until(results, (items) => items.length > 0);
      expect(first[0]?.error?.message).toBe('the body does not match /(a+)+$/');
      const polling = Date.now();
      const slowest = await pollHealthz(server.url, 3_500);
      expect(slowest).toBeLessThan(100);
      const during = (await results()).filter((item) => Date.parse(item.startedAt) >= polling);
      expect(during.length).toBeGreaterThanOrEqual(2);
      for (const item of during) expect(item.error?.message).toBe('the body does not match /(a+)+$/');
    } finally {
      await server.close();
    }
  });
});

/**
 * A pattern that defeats RE2's DFA and never matches random a's and b's: some seconds a MiB of
 * them, and more than one for 64 KiB, on a fresh thread.
 */
const COSTLY_PATTERN = 'a[ab]{200}b{300}';

/** Random a's and b's, the same each time. */
function costlyBody(bytes: number): Buffer {
  let seed = 12_345;
  const body = Buffer.alloc(bytes);
  for (let i = 0; i < body.length; i++) {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    body[i] = (seed >> 16) & 1 ? 0x61 : 0x62;
  }
  return body;
}

/** The longest the event loop went without running a 10 ms timer. */
function watchEventLoop() {
  let longest = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  return { longest: () => longest, stop: () => clearInterval(ticker) };
}

/** Asks /healthz one request at a time for `ms` and gives the slowest answer's time. */
async function pollHealthz(url: string, ms: number): Promise<number> {
  const until = performance.now() + ms;
  let slowest = 0;
  let answers = 0;
  while (performance.now() < until) {
    const started = performance.now();
    const response = await fetch(new URL('/healthz', url));
    expect(response.status).toBe(200);
    await response.text();
    slowest = Math.max(slowest, performance.now() - started);
    answers += 1;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(answers).toBeGreaterThan(20);
  return slowest;
}
