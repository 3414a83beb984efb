import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import type { Estate } from '../../server/config/schema.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { asAdmin } from '../helpers/as-admin.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { formPass } from '../helpers/forms.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

const estateYaml = smallEstateYaml
  .replace('systems:\n', 'systems:\n  - { id: email, name: NHSmail, owner: eastfield }\n')
  .concat(`surveys:
  - { id: usability-2025, title: IT usability survey 2025, opens: 2025-10-01, closes: 2025-12-31, systems: { epr: sus } }
  - { id: usability-2026, title: IT usability survey 2026, opens: 2026-10-01, closes: 2026-12-31, systems: { epr: sus, email: umux-lite } }
  - { id: usability-2027, title: IT usability survey 2027, opens: 2027-10-01, closes: 2027-12-31, systems: { epr: sus } }
settings:
  survey: { rateLimitPerMinute: 5 }
  trustProxy: [loopback]
`);

const sus = { sus1: 4, sus2: 2, sus3: 4, sus4: 1, sus5: 4, sus6: 2, sus7: 5, sus8: 2, sus9: 4, sus10: 2 };
const valid = {
  organisation: 'riverside',
  site: 'st-annes',
  staffGroup: 'nursing',
  answers: {
    epr: { ...sus, 'infra.available': 4 },
    email: { umux1: 6, umux2: 5 },
    infra: { 'infra.wifiEase': 3, 'infra.timeToRecord': 'dont-know' },
  },
  comments: 'Patient 943 476 5919 waits; email me at a.nurse@nhs.net or ring 07700 900123.',
};

describe('survey responses API', () => {
  let store: SqliteStores;
  let estate: Estate;
  let app: RequestListener;
  let file: string;
  const now = Date.UTC(2026, 10, 24, 10, 30);

  beforeEach(async () => {
    file = join(tmp(), 'survey.db');
    store = SqliteStores.open(file);
    estate = estateFrom(estateYaml);
    await store.estate.syncEstate(estate, now);
    app = await asAdmin(
      createApp({ store, clock: { now: () => now }, logger: silentLogger, estate: () => estate }),
      store,
    );
  });
  afterEach(async () => {
    await store.close();
  });

  const post = (body: unknown, campaign = 'usability-2026', from = '203.0.113.7') =>
    request(app)
      .post(`/api/v1/surveys/${campaign}/responses`)
      .set('X-Forwarded-For', from)
      .send(body as object);
  const rows = () => {
    const db = new Database(file, { readonly: true });
    const found = db.prepare('SELECT * FROM survey_responses').all() as Record<string, unknown>[];
    const scores = db
      .prepare('SELECT system, instrument, n, sum, squares FROM survey_score_cells ORDER BY system')
      .all();
    db.close();
    return { found, scores };
  };

  it('stores a response with its scores, to the day, with nothing about the respondent and the comment redacted', async () => {
    const response = await post(valid);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ status: 'received', message: 'Thank you. Your answers were received.' });
    const { found, scores } = rows();
    expect(found).toHaveLength(1);
    expect(Object.keys(found[0] ?? {}).sort()).toEqual(
      ['answers', 'campaign', 'comment', 'day', 'demo', 'id', 'organisation', 'site', 'staff_group'].sort(),
    );
    expect(found[0]).toMatchObject({
      campaign: 'usability-2026',
      day: '2026-11-24',
      site: 'st-annes',
      staff_group: 'nursing',
    });
    expect(found[0]?.comment).toBe(
      'Patient [NHS number removed] waits; email me at [email removed] or ring [phone number removed].',
    );
    expect(JSON.stringify(found[0])).not.toContain('203.0.113.7');
    const umux = (9 / 12) * 100;
    expect(scores).toEqual([
      { system: 'email', instrument: 'umux-lite', n: 1, sum: umux, squares: umux * umux },
      { system: 'epr', instrument: 'sus', n: 1, sum: 80, squares: 6400 },
    ]);
  });

  it('takes a response about the site alone from someone who uses none of the rated systems', async () => {
    const answer = await post({ ...valid, answers: { infra: { 'infra.wifiEase': 3 } }, comments: undefined });
    expect(answer.status).toBe(201);
    const { found, scores } = rows();
    expect(found).toHaveLength(1);
    // No system's score counts it: it is one more answer to the site's question only.
    expect(scores).toEqual([]);
  });

  it('names every problem of a bad response with a 400 and stores nothing', async () => {
    const { sus4: _, ...incomplete } = sus;
    const bad = await post({
      ...valid,
      site: 'nowhere',
      staffGroup: 'wizard',
      answers: { epr: { ...incomplete, sus1: 9 }, payroll: { x: 1 }, infra: { 'infra.wifiEase': 'fine' } },
    });
    expect(bad.status).toBe(400);
    const message = bad.body.error.message as string;
    expect(message).toContain("site: 'nowhere' is not a site in this survey");
    expect(message).toContain("staffGroup: 'wizard' is not a staff group in this survey");
    expect(message).toContain('answers.epr.sus4: sus4 is not answered');
    expect(message).toContain('answers.epr.sus1: sus1 must be a whole number from 1 to 5, not 9');
    expect(message).toContain("answers.payroll: 'payroll' is not a system this survey asks about");
    expect(message).toContain('answers.infra.infra.wifiEase');
    expect(message).toMatch(/nothing was stored$/);

    expect((await post({ ...valid, answers: { infra: {} } })).body.error.message).toContain(
      'answer at least one question: rate a system you use, or answer a question about the IT at your site',
    );
    // A wrong answer about the site does not hide that nothing else was answered.
    const unrated = (await post({ ...valid, answers: { infra: { 'infra.wifiEase': 'fine' } } })).body.error
      .message as string;
    expect(unrated).toContain('answers.infra.infra.wifiEase');
    expect(unrated).toContain('answer at least one question');
    const long = await post({ ...valid, comments: 'x'.repeat(1001) });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain('comments must be 1,000 characters or fewer (this is 1,001)');
    expect(rows().found).toEqual([]);
  });

  it('refuses a closed campaign, whose results are published (409), one not yet open (400) and an unknown one (404)', async () => {
    const closed = await post(valid, 'usability-2025');
    expect(closed.status).toBe(409);
    expect(closed.body.error).toEqual({
      code: 'conflict',
      message:
        'IT usability survey 2025 closed on 31 December 2025 and its results are published; published figures do not change, so it takes no more responses.',
    });
    // The form refuses it too, saying it has closed.
    const pass = await formPass(app, '/survey/usability-2026/about-you');
    const form = await request(app)
      .post('/survey/usability-2025')
      .set('Cookie', pass.cookie)
      .type('form')
      .send({
        _csrf: pass.csrf,
        _action: 'submit',
        organisation: 'riverside',
        site: 'st-annes',
        staffGroup: 'nursing',
      });
    expect(form.status).toBe(409);
    expect(form.text).toContain('IT usability survey 2025 closed on 31 December 2025.');
    const early = await post(valid, 'usability-2027');
    expect(early.status).toBe(400);
    expect(early.body.error.message).toContain('opens on 1 October 2027');
    const unknown = await post(valid, 'usability-1999');
    expect(unknown.status).toBe(404);
    expect(rows().found).toEqual([]);
  });

  it('limits how fast one address sends, by the address a trusted proxy forwards, in memory only', async () => {
    for (let i = 0; i < 5; i++) expect((await post(valid)).status).toBe(201);
    const sixth = await post(valid);
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect((await post(valid, 'usability-2026', '198.51.100.9')).status).toBe(201); // another address
    expect(rows().found).toHaveLength(6);
  });

  it('counts the form and the API against one limit per address', async () => {
    for (let i = 0; i < 5; i++) expect((await post(valid, 'usability-2026', '192.0.2.50')).status).toBe(201);
    const pass = await formPass(app, '/survey/usability-2026/about-you');
    const fields = new URLSearchParams({
      _csrf: pass.csrf,
      _page: 'check',
      _action: 'submit',
      organisation: 'riverside',
      site: 'st-annes',
      staffGroup: 'nursing',
      'use.epr': 'yes',
      'use.email': 'no',
      ...Object.fromEntries(Object.entries(sus).map(([item, value]) => [`epr.${item}`, String(value)])),
    });
    const form = await request(app)
      .post('/survey/usability-2026')
      .set('Cookie', pass.cookie)
      .set('X-Forwarded-For', '192.0.2.50')
      .type('form')
      .send(fields.toString());
    expect(form.status).toBe(429);
    expect(form.text).toContain('There is a problem');
    expect(form.text).toContain('Too many answers have been sent from this network in the last minute');
    expect(form.text).toContain('name="epr.sus1" value="4"'); // the answers are kept for another try
    expect(rows().found).toHaveLength(5);
  });

  it('promises on the start and About you pages the group size the results are withheld below', async () => {
    expect((await request(app).get('/survey/usability-2026')).text).toContain(
      'Results are only shown for groups of at least 11 people.',
    );
    estate = estateFrom(
      estateYaml.replace('survey: { rateLimitPerMinute: 5 }', 'survey: { minGroupSize: 15 }'),
    );
    expect((await request(app).get('/survey/usability-2026')).text).toContain(
      'Results are only shown for groups of at least 15 people.',
    );
    expect((await request(app).get('/survey/usability-2026/about-you')).text).toContain(
      'They are never shown for a group of fewer than 15 people.',
    );
  });

  it('lists the campaigns with their state and whether results are published', async () => {
    await post(valid);
    const { body } = await request(app).get('/api/v1/surveys');
    expect(
      body.items.map((c: Record<string, unknown>) => [c.id, c.state, c.resultsPublished, c.responses]),
    ).toEqual([
      ['usability-2025', 'closed', true, 0],
      ['usability-2026', 'open', false, 1],
      ['usability-2027', 'upcoming', false, 0],
    ]);
  });
  it('refuses a form post without the cookie the form was shown with, or sent from another site, storing nothing', async () => {
    const pass = await formPass(app, '/survey/usability-2026/about-you');
    const cookie = (await request(app).get('/survey/usability-2026/about-you')).headers['set-cookie'];
    expect(String(cookie)).toMatch(/^vantage_form=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const fields = {
      _page: 'check',
      _action: 'submit',
      organisation: 'riverside',
      site: 'st-annes',
      staffGroup: 'nursing',
      'use.epr': 'yes',
      'use.email': 'no',
      ...Object.fromEntries(Object.entries(sus).map(([item, value]) => [`epr.${item}`, String(value)])),
    };
    const browser = (req: request.Test) => req.set('Accept', 'text/html').type('form');
    const refused = [
      // No cookie: the field alone proves nothing.
      await browser(request(app).post('/survey/usability-2026')).send({ ...fields, _csrf: pass.csrf }),
      // The cookie without the field.
      await browser(request(app).post('/survey/usability-2026').set('Cookie', pass.cookie)).send(fields),
      // A page on another site posting to the form (the browser names it in Origin).
      await browser(
        request(app)
          .post('/survey/usability-2026')
          .set('Cookie', pass.cookie)
          .set('Origin', 'https://evil.example')
          .set('Sec-Fetch-Site', 'cross-site'),
      ).send({ ...fields, _csrf: pass.csrf }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain(
        'This form has expired or came from another site. Go back, reload the page and try again.',
      );
    }
    expect(rows().found).toEqual([]);
    // The same post from the form's own page is taken, and every page after carries the same value.
    const sent = await browser(
      request(app)
        .post('/survey/usability-2026')
        .set('Cookie', pass.cookie)
        .set('Origin', 'http://127.0.0.1'),
    )
      .set('Host', '127.0.0.1')
      .send({ ...fields, _csrf: pass.csrf });
    expect(sent.status).toBe(303);
    expect(rows().found).toHaveLength(1);
    const back = await browser(request(app).post('/survey/usability-2026').set('Cookie', pass.cookie)).send({
      ...fields,
      _action: 'back',
      _csrf: pass.csrf,
    });
    expect(back.status).toBe(200);
    expect([...back.text.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1])).toEqual([
      pass.csrf,
      pass.csrf,
    ]);
  });
});
