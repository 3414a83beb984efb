import { monitorEventLoopDelay } from 'node:perf_hooks';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nestsDeeper } from '../../server/api/body.js';
import { type ApiFixture, openApiFixture } from '../helpers/api-fixture.js';
import { formPass } from '../helpers/forms.js';
import { susFor } from '../helpers/survey.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

/** A megabyte of JSON nested half a million deep. */
const deepArrays = `${'['.repeat(512 * 1024)}${']'.repeat(512 * 1024)}`;

const response = (comments: string) => ({
  organisation: 'riverside',
  site: 'st-annes',
  staffGroup: 'nursing',
  answers: { epr: susFor(70) },
  comments,
});

describe('request bodies: each route takes what it needs and refuses the rest before parsing', () => {
  let fixture: ApiFixture;
  let before: Record<string, number>;

  beforeEach(async () => {
    fixture = await openApiFixture(tmp());
    before = fixture.rowCounts();
  });
  afterEach(async () => {
    expect(fixture.errors).toEqual([]);
    await fixture.close();
  });

  const agent = (path: string) =>
    request(fixture.app)
      .post(`/api/v1/agent/${path}`)
      .set('Authorization', `Bearer ${fixture.token}`)
      .set('Content-Type', 'application/json');

  it('takes a survey response up to 16 KB: the longest comment, every character escaped, fits', async () => {
    const longest = JSON.stringify(response('é'.repeat(1_000))).replaceAll('é', '\\u00e9');
    expect(longest.length).toBeGreaterThan(6_000);
    const taken = await request(fixture.app)
      .post('/api/v1/surveys/usability-2026/responses')
      .set('Content-Type', 'application/json')
      .send(longest);
    expect(taken.status).toBe(201);

    const stored = fixture.rowCounts();
    const padded = { ...response('fine'), padding: 'x'.repeat(16 * 1024) };
    const refused = await request(fixture.app).post('/api/v1/surveys/usability-2026/responses').send(padded);
    expect(refused.status).toBe(413);
    expect(refused.body.error).toEqual({
      code: 'payload_too_large',
      message:
        'the request body is too large: POST /api/v1/surveys/usability-2026/responses takes at most 16 KB',
    });
    expect(fixture.rowCounts()).toEqual(stored);
  });

  it('refuses a survey response nested deeper than a response is', async () => {
    const res = await request(fixture.app)
      .post('/api/v1/surveys/usability-2026/responses')
      .set('Content-Type', 'application/json')
      .send(
        JSON.stringify(response(''))
          .replace('"answers":', '"answers":[[[[')
          .replace(',"comments"', ']]]],"comments"'),
      );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'the request body nests arrays and objects more than 4 deep; nothing was read',
    );
    expect(fixture.rowCounts()).toEqual(before);
  });

  it('takes a heartbeat up to 4 KB', async () => {
    const beat = { version: '1.0.0', sentAt: 0, outbox: { depth: 0, dropped: 0, oldestAt: null } };
    expect((await agent('heartbeat').send(beat)).status).toBe(200);
    const big = await agent('heartbeat').send({ ...beat, version: 'x'.repeat(5_000) });
    expect(big.status).toBe(413);
    expect(big.body.error.message).toContain('POST /api/v1/agent/heartbeat takes at most 4 KB');
  });

  it('refuses a megabyte nested half a million deep to the agents’ results (which take 16 MB) without blocking the server', async () => {
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const started = performance.now();
    const res = await agent('results').send(deepArrays);
    const took = performance.now() - started;
    delay.disable();
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'the request body nests arrays and objects more than 32 deep; nothing was read',
    );
    // Parsed, this body held the event loop for 200–300 ms, and nested in a result's details it
    // overflowed the stack when stored (a 500). Scanned, it is refused in a few milliseconds (the
    // bound leaves room for a machine busy with other work).
    expect(delay.max / 1e6).toBeLessThan(150);
    expect(took).toBeLessThan(1_000);
    expect(fixture.rowCounts()).toEqual(before);
  });

  it('refuses deep nesting hidden in a result’s details, where storing it would overflow the stack', async () => {
    const result = {
      id: 'run-1',
      checkId: 'epr-login',
      startedAt: new Date(Date.UTC(2026, 10, 24, 10, 0)).toISOString(),
      state: 'ok',
      phases: { dnsMs: 1, connectMs: 1, tlsMs: 1, ttfbMs: 1, transferMs: 1, totalMs: 5 },
    };
    const text = JSON.stringify({ results: [result] }).replace(
      '"state"',
      `"details":{"deep":${'['.repeat(200_000)}${']'.repeat(200_000)}},"state"`,
    );
    const res = await agent('results').send(text);
    expect(res.status).toBe(400);
    expect(fixture.rowCounts()).toEqual(before);
  });

  it('does not read a body sent to a route that takes none', async () => {
    const res = await request(fixture.app)
      .get('/api/v1/checks')
      .set('Content-Type', 'application/json')
      .send(deepArrays.slice(0, 1_000));
    expect(res.status).toBe(200);
  });

  it('takes a form page up to 32 KB, so a comment typed too long arrives to be named', async () => {
    const comment = 'é'.repeat(3_000);
    const pass = await formPass(fixture.app, '/survey/usability-2026/about-you');
    const page = await request(fixture.app)
      .post('/survey/usability-2026')
      .set('Cookie', pass.cookie)
      .type('form')
      .send({ _csrf: pass.csrf, _page: 'your-site', _action: 'continue', comment });
    expect(page.status).toBe(400);
    expect(page.text).toContain('Your answer must be 1,000 characters or fewer (it is 3,000)');

    const huge = await request(fixture.app)
      .post('/survey/usability-2026')
      .type('form')
      .send({ _page: 'your-site', comment: 'x'.repeat(40_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toBe(
      'the request body is too large: POST /survey/usability-2026 takes at most 32 KB',
    );
    // A browser is shown a page that says what to do.
    const browser = await request(fixture.app)
      .post('/survey/usability-2026')
      .set('Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')
      .type('form')
      .send({ _page: 'your-site', comment: 'x'.repeat(40_000) });
    expect(browser.status).toBe(413);
    expect(browser.type).toBe('text/html');
    expect(browser.text).toContain('Your answers are too long to send');
    expect(browser.text).toContain('Your comment can be up to 1,000 characters.');
    expect(fixture.rowCounts()).toEqual(before);
  });
});

describe('nesting depth, read from the bytes', () => {
  const deeper = (text: string, max: number) => nestsDeeper(Buffer.from(text), max);

  it('counts open arrays and objects, not those closed before', () => {
    expect(deeper('{"a":[1,{"b":2}]}', 3)).toBe(false);
    expect(deeper('{"a":[1,{"b":[]}]}', 3)).toBe(true);
    expect(deeper('[[],[],[],[]]', 2)).toBe(false);
  });

  it('skips brackets inside strings, escaped quotes and all', () => {
    expect(deeper('{"a":"[[[[{{{{"}', 1)).toBe(false);
    expect(deeper('{"a":"\\"[[[[","b":"\\\\"}', 1)).toBe(false);
    expect(deeper('{"a":"\\\\",  "b":[[]]}', 2)).toBe(true);
    expect(deeper('{"é[":"ü{"}', 1)).toBe(false);
  });
});
