import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { probe } from './run.js';
import { useServers } from './servers.js';

const servers = useServers();
const MIB = 1024 * 1024;

describe('http probe: timing phases', () => {
  it('puts a delay before the headers into ttfbMs, and one inside the body into transferMs', async () => {
    const server = await servers.http((req, res) => {
      if (req.url === '/slow-headers') {
        setTimeout(() => res.end('ok'), 200);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first half, ');
      setTimeout(() => res.end('second half'), 300);
    });

    const headers = await probe({ type: 'http', target: `${server.origin}/slow-headers` });
    expect(headers.ok).toBe(true);
    expect(headers.phases.ttfbMs).toBeGreaterThanOrEqual(190);
    expect(headers.phases.ttfbMs).toBeLessThan(400);
    expect(headers.phases.transferMs).toBeLessThan(100);

    const body = await probe({ type: 'http', target: `${server.origin}/slow-body` });
    expect(body.ok).toBe(true);
    expect(body.phases.ttfbMs).toBeLessThan(100);
    expect(body.phases.transferMs).toBeGreaterThanOrEqual(290);
    expect(body.phases.transferMs).toBeLessThan(500);
    expect(body.phases.totalMs).toBeGreaterThanOrEqual(290);
  });

  it('measures every phase of a fresh connection, dnsMs null for an IP and a number for a name', async () => {
    const seen: { host?: string; encoding?: string }[] = [];
    const server = await servers.http((req, res) => {
      seen.push({ host: req.headers.host, encoding: req.headers['accept-encoding'] });
      res.end('ok');
    });
    const byIp = await probe({ type: 'http', target: server.origin });
    expect(byIp.phases).toMatchObject({ dnsMs: null, tlsMs: null });
    for (const phase of ['connectMs', 'ttfbMs', 'transferMs', 'totalMs'] as const) {
      expect(byIp.phases[phase], phase).toBeGreaterThanOrEqual(0);
    }
    expect(byIp.details?.address).toBe(`127.0.0.1:${server.port}`);

    const byName = await probe({ type: 'http', target: `http://localhost:${server.port}/` });
    expect(byName.ok, byName.error?.message).toBe(true);
    expect(byName.phases.dnsMs).toBeTypeOf('number');
    expect(byName.phases.dnsMs).toBeGreaterThanOrEqual(0);
    expect(byName.details?.address).toBe(`127.0.0.1:${server.port}`);
    expect(seen).toEqual([
      { host: `127.0.0.1:${server.port}`, encoding: 'gzip, deflate, br' },
      { host: `localhost:${server.port}`, encoding: 'gzip, deflate, br' },
    ]);
  });

  it('sends the method, headers and body of the check', async () => {
    const server = await servers.http((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () =>
        res.end(JSON.stringify({ method: req.method, token: req.headers['x-token'], body })),
      );
    });
    const result = await probe({
      type: 'http',
      target: server.origin,
      method: 'POST',
      headers: { 'X-Token': 'abc' },
      body: 'hello',
      expect: { json: { path: '$', equals: { method: 'POST', token: 'abc', body: 'hello' } } },
    });
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
  });
});

describe('http probe: redirects', () => {
  it('follows redirects, counts them and sums the phases over the hops', async () => {
    const server = await servers.http((req, res) => {
      if (req.url === '/a') res.writeHead(302, { location: '/b' }).end();
      else if (req.url === '/b')
        setTimeout(() => res.writeHead(301, { location: `http://localhost:${port}/c` }).end(), 100);
      else if (req.url === '/c') setTimeout(() => res.end('arrived'), 100);
      else res.writeHead(404).end();
    });
    const port = server.port;
    const result = await probe({
      type: 'http',
      target: `${server.origin}/a`,
      expect: { bodyContains: 'arrived' },
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.details?.redirects).toBe(2);
    // Two hops each waited 100 ms for their answer; the sum shows both.
    expect(result.phases.ttfbMs).toBeGreaterThanOrEqual(190);
    // Only the last hop went by name.
    expect(result.phases.dnsMs).toBeTypeOf('number');
  });

  it('turns a POST into a GET on a 303, as browsers do', async () => {
    const server = await servers.http((req, res) => {
      if (req.url === '/form') res.writeHead(303, { location: '/done' }).end();
      else res.end(`${req.method} ${req.url}`);
    });
    const result = await probe({
      type: 'http',
      target: `${server.origin}/form`,
      method: 'POST',
      body: 'x=1',
      expect: { bodyContains: 'GET /done' },
    });
    expect(result.error).toBeUndefined();
  });

  it('fails a redirect loop and a chain longer than maxRedirects with class assertion', async () => {
    const server = await servers.http((req, res) => {
      const step = Number(req.url?.slice(1));
      if (req.url === '/x') res.writeHead(302, { location: '/y' }).end();
      else if (req.url === '/y') res.writeHead(307, { location: '/x' }).end();
      else res.writeHead(302, { location: `/${step + 1}` }).end();
    });
    const loop = await probe({ type: 'http', target: `${server.origin}/x` });
    expect(loop.ok).toBe(false);
    expect(loop.error).toEqual({
      class: 'assertion',
      message: `redirect loop: ${server.origin}/y redirects back to ${server.origin}/x`,
    });
    expect(loop.details?.redirects).toBe(1);

    const long = await probe({ type: 'http', target: `${server.origin}/0`, maxRedirects: 3 });
    expect(long.error).toEqual({
      class: 'assertion',
      message: `more than 3 redirects (the next would go to ${server.origin}/4)`,
    });
    expect(long.details?.redirects).toBe(3);
  });

  it('with maxRedirects 0 takes the redirect itself as the answer', async () => {
    const server = await servers.http((_req, res) => res.writeHead(302, { location: '/sso' }).end());
    const expected = await probe({
      type: 'http',
      target: server.origin,
      maxRedirects: 0,
      expect: { status: [302] },
    });
    expect(expected.ok).toBe(true);
    expect(expected.details?.redirects).toBe(0);
    const unexpected = await probe({ type: 'http', target: server.origin, maxRedirects: 0 });
    expect(unexpected.error).toEqual({ class: 'http_status', message: 'status 302, expected 200-299' });
  });
});

describe('http probe: body', () => {
  it('stops reading a 10 MiB body at the 1 MiB default, reports it and does not fail for it', async () => {
    const server = await servers.http((_req, res) => {
      res.on('error', () => {});
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const pump = () => {
        while (sent < 10 * MIB) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const result = await probe({ type: 'http', target: server.origin, expect: { bodyContains: 'aaaa' } });
    expect(result.ok).toBe(true);
    expect(result.details).toMatchObject({ bodyBytes: MIB, bodyCappedAt: MIB });
  });

  it('caps at maxBodyBytes exactly: a body of that size is whole, one byte more is cut', async () => {
    const server = await servers.http((req, res) => res.end('x'.repeat(Number(req.url?.slice(1)))));
    const whole = await probe({ type: 'http', target: `${server.origin}/100`, maxBodyBytes: 100 });
    expect(whole.details).toMatchObject({ bodyBytes: 100 });
    expect(whole.details?.bodyCappedAt).toBeUndefined();
    const cut = await probe({ type: 'http', target: `${server.origin}/101`, maxBodyBytes: 100 });
    expect(cut.details).toMatchObject({ bodyBytes: 100, bodyCappedAt: 100 });
  });

  it('decodes gzip and brotli bodies before matching them', async () => {
    const page = '<title>Riverside EPR: Sign in</title>';
    const server = await servers.http((req, res) => {
      const encoding = req.url === '/br' ? 'br' : 'gzip';
      const body = encoding === 'br' ? brotliCompressSync(page) : gzipSync(page);
      res.writeHead(200, { 'content-encoding': encoding }).end(body);
    });
    for (const path of ['/gzip', '/br']) {
      const result = await probe({
        type: 'http',
        target: `${server.origin}${path}`,
        expect: { bodyContains: 'Sign in' },
      });
      expect(result.error, path).toBeUndefined();
      expect(result.details?.bodyBytes, path).toBe(page.length);
    }
  });
});

describe('http probe: assertions', () => {
  const app = () =>
    servers.http((req, res) => {
      if (req.url === '/down') res.writeHead(503).end('maintenance');
      else if (req.url === '/health')
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"status":"up","checks":[{"name":"db","ok":true}]}');
      else if (req.url === '/slow') setTimeout(() => res.end('Sign in'), 120);
      else res.end('<h1>Please Sign   in</h1>');
    });

  it('says which status came and which was expected', async () => {
    const server = await app();
    const listed = await probe({ type: 'http', target: `${server.origin}/down`, expect: { status: [200] } });
    expect(listed).toMatchObject({ ok: false, state: 'fail', status: 503 });
    expect(listed.error).toEqual({ class: 'http_status', message: 'status 503, expected 200' });
    const ranges = await probe({
      type: 'http',
      target: `${server.origin}/down`,
      expect: { status: [200, '300-399'] },
    });
    expect(ranges.error?.message).toBe('status 503, expected 200 or 300-399');
    const accepted = await probe({
      type: 'http',
      target: `${server.origin}/down`,
      expect: { status: ['500-599'] },
    });
    expect(accepted.ok).toBe(true);
  });

  it('checks bodyContains and bodyMatches', async () => {
    const server = await app();
    const matches = await probe({
      type: 'http',
      target: server.origin,
      expect: { bodyMatches: 'Sign\\s+in' },
    });
    expect(matches.ok).toBe(true);
    const contains = await probe({
      type: 'http',
      target: server.origin,
      expect: { bodyContains: 'Sign in' },
    });
    expect(contains.error).toEqual({ class: 'assertion', message: "the body does not contain 'Sign in'" });
    const misses = await probe({ type: 'http', target: server.origin, expect: { bodyMatches: '^Welcome' } });
    expect(misses.error).toEqual({ class: 'assertion', message: 'the body does not match /^Welcome/' });
  });

  it('compares the value at a JSON path by deep equality', async () => {
    const server = await app();
    const target = `${server.origin}/health`;
    const equal = await probe({
      type: 'http',
      target,
      expect: { json: { path: '$.checks[0]', equals: { name: 'db', ok: true } } },
    });
    expect(equal.error).toBeUndefined();
    const differs = await probe({
      type: 'http',
      target,
      expect: { json: { path: '$.status', equals: 'down' } },
    });
    expect(differs.error).toEqual({ class: 'assertion', message: '$.status is "up", expected "down"' });
    const missing = await probe({
      type: 'http',
      target,
      expect: { json: { path: '$.checks[3].name', equals: 'x' } },
    });
    expect(missing.error?.message).toBe('$.checks[3].name is not in the JSON body');
    const notJson = await probe({
      type: 'http',
      target: server.origin,
      expect: { json: { path: '$.a', equals: 1 } },
    });
    expect(notJson.error?.message).toMatch(/^the body is not JSON \(/);
  });

  it('marks an answer slower than degradedMs as degraded, still ok', async () => {
    const server = await app();
    const slow = await probe({ type: 'http', target: `${server.origin}/slow`, expect: { degradedMs: 50 } });
    expect(slow).toMatchObject({ ok: true, state: 'degraded' });
    expect(slow.error).toBeUndefined();
    const fast = await probe({ type: 'http', target: `${server.origin}/slow`, expect: { degradedMs: 5000 } });
    expect(fast).toMatchObject({ ok: true, state: 'ok' });
  });
});
