import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiFixture, openApiFixture } from '../helpers/api-fixture.js';
import { susFor } from '../helpers/survey.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

const response = (answers: unknown) => ({
  organisation: 'riverside',
  site: 'st-annes',
  staffGroup: 'nursing',
  answers,
});

describe('client mistakes: a 4xx in the JSON error shape, nothing stored, nothing logged as a fault', () => {
  let fixture: ApiFixture;
  let before: Record<string, number>;

  beforeEach(async () => {
    fixture = await openApiFixture(tmp());
    before = fixture.rowCounts();
  });
  afterEach(async () => {
    // Every case: nothing stored, and no client mistake was logged as the server's own fault.
    expect(fixture.rowCounts()).toEqual(before);
    expect(fixture.errors).toEqual([]);
    await fixture.close();
  });

  const refused = (res: request.Response, status: number, code: string, message: RegExp | string) => {
    expect(res.status).toBe(status);
    expect(res.type).toBe('application/json');
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
    expect(res.text).not.toMatch(/at .*\.(js|ts):\d+|node_modules|\/work\//);
  };

  it('refuses a charset other than UTF-8 (415), naming it', async () => {
    const survey = await request(fixture.app)
      .post('/api/v1/surveys/usability-2026/responses')
      .set('Content-Type', 'application/json; charset=bogus')
      .send(JSON.stringify(response({ epr: susFor(70) })));
    refused(survey, 415, 'unsupported_media_type', "charset 'bogus' is not taken: send JSON as UTF-8");
    const agent = await request(fixture.app)
      .post('/api/v1/agent/results')
      .set('Authorization', `Bearer ${fixture.token}`)
      .set('Content-Type', 'application/json; charset=utf-16le')
      .send('{"results":[]}');
    refused(agent, 415, 'unsupported_media_type', "charset 'utf-16le'");
  });

  it('refuses a Content-Encoding it cannot decode (415), naming it', async () => {
    const res = await request(fixture.app)
      .post('/api/v1/surveys/usability-2026/responses')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'bogus')
      .send('{}');
    refused(res, 415, 'unsupported_media_type', "Content-Encoding 'bogus' is not taken");
  });

  it('refuses a body that is not JSON where JSON is taken (415)', async () => {
    const res = await request(fixture.app)
      .post('/api/v1/surveys/usability-2026/responses')
      .set('Content-Type', 'text/plain')
      .send('organisation=riverside');
    refused(res, 415, 'unsupported_media_type', 'the request body is text/plain');
  });

  it('refuses broken percent-encoding in a path (400), API, form and files alike', async () => {
    for (const path of [
      '/api/v1/checks/%zz',
      '/api/v1/checks/%E0%A4%A/summary',
      '/survey/%zz',
      '/survey/%',
    ]) {
      refused(await request(fixture.app).get(path), 400, 'invalid', `the path ${path} is not valid`);
    }
  });

  it('refuses what every object inherits as survey answer keys, naming each where it is', async () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty']) {
      const text = `{"organisation":"riverside","site":"st-annes","staffGroup":"nursing","answers":{"${key}":{"sus1":3}}}`;
      const res = await request(fixture.app)
        .post('/api/v1/surveys/usability-2026/responses')
        .set('Content-Type', 'application/json')
        .send(text);
      refused(res, 400, 'invalid', `answers.${key}: '${key}' is not a system this survey asks about`);
    }
    const inside = await request(fixture.app)
      .post('/api/v1/surveys/usability-2026/responses')
      .set('Content-Type', 'application/json')
      .send(
        `{"organisation":"riverside","site":"st-annes","staffGroup":"nursing","answers":{"epr":{"constructor":1}}}`,
      );
    refused(inside, 400, 'invalid', 'answers.epr.constructor: constructor is not an item of sus');
  });

  it('answers a missing file under /survey/assets/ with a JSON 404 that does not show where files are', async () => {
    const res = await request(fixture.app).get('/survey/assets/images/no-such-icon.svg');
    refused(res, 404, 'not_found', 'nothing at GET /survey/assets/images/no-such-icon.svg');
    // The files that are there are still served.
    const css = await request(fixture.app).get('/survey/assets/nhsuk.css');
    expect(css.status).toBe(200);
  });

  it('refuses a form with more than 1,000 fields (413), naming the limit', async () => {
    const fields = Array.from({ length: 1_001 }, (_, i) => `f${i}=1`).join('&');
    const res = await request(fixture.app).post('/survey/usability-2026').type('form').send(fields);
    refused(res, 413, 'payload_too_large', 'the form has more than 1,000 fields');
  });

  it('refuses malformed JSON (400) and a JSON body that does not decompress (400)', async () => {
    const malformed = await request(fixture.app)
      .post('/api/v1/surveys/usability-2026/responses')
      .set('Content-Type', 'application/json')
      .send('{"answers": [');
    refused(malformed, 400, 'invalid_json', 'the request body is not valid JSON');
    const corrupt = await request(fixture.app)
      .post('/api/v1/surveys/usability-2026/responses')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('not gzip at all');
    refused(corrupt, 400, 'invalid', 'does not decompress');
  });

  it('names a refused file path as such, whatever Content-Encoding the request claims', async () => {
    const res = await request(fixture.app).get('/survey/assets/images/%00').set('Content-Encoding', 'gzip');
    refused(res, 400, 'invalid', 'Bad Request: GET /survey/assets/images/%00');
  });

  it('keeps the statuses files are refused with: an unsatisfiable range (416)', async () => {
    const res = await request(fixture.app).get('/assets/app.js').set('Range', 'bytes=9000-9001');
    refused(res, 416, 'range_not_satisfiable', 'GET /assets/app.js');
    expect(res.headers['content-range']).toBe('bytes */25');
  });
});
