import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INLINE_MATCH_CHARS, patternProblem } from '../../probes/body-pattern.js';
import { silentLogger } from '../../server/logger.js';
import { startServer } from '../../server/serve.js';
import { useTmpDir } from '../helpers/tmp.js';
import { probe } from './run.js';
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

  it('matches a body too long to match on the event loop in a worker, both ways', async () => {
    const long = `${'x'.repeat(INLINE_MATCH_CHARS * 3)}<p>Sign in</p>`;
    const server = await servers.http((_req, res) => res.end(long));
    const hit = await probe({ type: 'http', target: server.origin, expect: { bodyMatches: 'Sign\\s+in' } });
    expect(hit.error).toBeUndefined();
    expect(hit.ok).toBe(true);
    const miss = await probe({ type: 'http', target: server.origin, expect: { bodyMatches: '^Sign' } });
    expect(miss.error?.class).toBe('assertion');
  });

  it('ends a long match at the check timeout without holding the event loop', async () => {
    // A pattern that defeats RE2's DFA costs it about 0.4 µs a character: seconds for these 8 MB.
    let seed = 12_345;
    const body = Buffer.alloc(8 * 1024 * 1024, 0);
    for (let i = 0; i < body.length; i++) {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
      body[i] = (seed >> 16) & 1 ? 0x61 : 0x62;
    }
    const server = await servers.http((_req, res) => res.end(body));
    let longestGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 10);
    try {
      const result = await probe({
        type: 'http',
        target: server.origin,
        timeout: '400ms',
        maxBodyBytes: body.length,
        expect: { bodyMatches: '(a|b)*a(a|b){20}$' },
      });
      expect(result.error?.class, JSON.stringify(result)).toBe('timeout');
      expect(result.error?.message).toMatch(/^no answer within 0.4 s \(matching the body/);
    } finally {
      clearInterval(ticker);
    }
    expect(longestGap).toBeLessThan(200);
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
    try {
      const slowest = await pollHealthz(server.url, 2_500);
      expect(slowest).toBeLessThan(100);
      const check = (await (await fetch(new URL('/api/v1/checks/epr-home', server.url))).json()) as {
        latest: { error?: { message: string } }[];
      };
      expect(JSON.stringify(check)).toContain('the body does not match /(a+)+$/');
    } finally {
      await server.close();
    }
  });
});

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
