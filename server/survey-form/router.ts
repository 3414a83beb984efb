import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { londonDateOf } from '../../common/calendar.js';
import type { Clock } from '../../common/clock.js';
import { campaignState } from '../../surveys/campaign.js';
import { minGroupSizeOf } from '../../surveys/privacy.js';
import { csrfField, formToken, formTokenValid, refuseForm } from '../access/form-csrf.js';
import { allow, anyone } from '../access/rules.js';
import { formBody } from '../api/body.js';
import type { RateLimiter } from '../api/rate-limit.js';
import type { Estate, Survey } from '../config/schema.js';
import type { SurveyStore } from '../store/survey.js';
import { type Answers, readAnswers } from './answers.js';
import { CHECK_PAGE, CHECK_TITLE, checkAll, renderCheck } from './check.js';
import { errorSummary, type FieldError, formCss, hiddenFields, layout } from './components.js';
import { fieldId, type Html, html } from './html.js';
import { type FormContext, flow, type Page, progress, SECTIONS } from './pages.js';
import { siteFilterScript } from './site-filter.js';
import { notFoundPage, startPage, thankYouPage, tooLongPage } from './static-pages.js';

const nhsukCss = createRequire(import.meta.url).resolve('nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css');

/**
 * The NHS stylesheet without its remote fonts (Arial is the fallback; staff browsers call nothing but
 * Vantage) and with its icons served from under /survey/assets, then the form's own rules.
 */
function surveyCss(): string {
  const nhsuk = readFileSync(nhsukCss, 'utf8')
    .replace(/@font-face\{[^}]*https?:\/\/[^}]*\}/g, '')
    .replaceAll('url(/assets/images/', 'url(/survey/assets/images/');
  return `${nhsuk}\n${formCss}`;
}

/**
 * Each page posts every answer so far as hidden fields: a few KB, the most a 1,000-character comment
 * percent-encoded (9 KB were every character three bytes of UTF-8). A comment typed far too long still
 * arrives, so the page can say how long it is. The fields are a few dozen per rated system.
 */
const FORM_BODY = { bytes: 32 * 1024, fields: 1_000 };

export interface SurveyFormDeps {
  store: SurveyStore;
  clock: Clock;
  estate: () => Estate | undefined;
  /** Shared with the JSON API: one limit per address, in memory only. */
  limiter: RateLimiter;
}

/**
 * The public survey form, server-rendered and working without JavaScript. The answers so far travel
 * in hidden fields from page to page, so nothing about a respondent is kept between requests, and a
 * reload (which posts the same fields again) or the Back button shows the same answers.
 */
export function surveyForm(deps: SurveyFormDeps): Router {
  const router = Router();
  let css: string | undefined;

  router.get('/survey/assets/nhsuk.css', allow(anyone), (_req, res) => {
    css ??= surveyCss();
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(css);
  });
  router.get('/survey/assets/site-filter.js', allow(anyone), (_req, res) => {
    res.type('text/javascript').set('Cache-Control', 'public, max-age=3600').send(siteFilterScript);
  });
  router.use(
    '/survey/assets/images',
    express.static(join(dirname(nhsukCss), 'assets', 'images'), { fallthrough: false, maxAge: '1h' }),
  );
  router.post('/survey/:id', allow(anyone), formBody(FORM_BODY));

  const find = (id: string): (FormContext & { survey: Survey; estate: Estate }) | undefined => {
    const estate = deps.estate();
    const survey = estate?.surveys.find((s) => s.id === id);
    return estate && survey ? { estate, survey, minGroupSize: minGroupSizeOf(estate) } : undefined;
  };
  const send = (res: Response, status: number, page: Html) => {
    res.status(status).type('html').set('Cache-Control', 'no-store').send(page.value);
  };
  const isOpen = (survey: Survey) => campaignState(survey, deps.clock.now()).state === 'open';

  router.get('/survey/:id', allow(anyone), (req, res) => {
    const context = find(req.params.id);
    if (!context) return send(res, 404, notFoundPage());
    send(res, 200, startPage(context, campaignState(context.survey, deps.clock.now())));
  });

  router.get('/survey/:id/about-you', allow(anyone), (req, res) => {
    const context = find(req.params.id);
    if (!context) return send(res, 404, notFoundPage());
    if (!isOpen(context.survey)) return res.redirect(303, `/survey/${context.survey.id}`);
    const first = flow(context, new Map())[0] as Page;
    send(res, 200, questionPage(context, first, new Map(), [], false, csrfField(formToken(req, res))));
  });

  router.get('/survey/:id/thank-you', allow(anyone), (req, res) => {
    const context = find(req.params.id);
    if (!context) return send(res, 404, notFoundPage());
    send(res, 200, thankYouPage(context.survey));
  });

  router.post('/survey/:id', allow(anyone), async (req, res) => {
    // Before anything is read or stored: a post another site made this browser send is refused.
    if (!formTokenValid(req)) return refuseForm(req, res, 'Staff IT survey');
    const csrf = csrfField(formToken(req, res));
    const context = find(req.params.id);
    if (!context) return send(res, 404, notFoundPage());
    const { survey } = context;
    const state = campaignState(survey, deps.clock.now());
    if (state.state !== 'open') return send(res, 409, startPage(context, state));

    const body = (req.body ?? {}) as Record<string, unknown>;
    const answers = readAnswers(body, survey, context.estate);
    const action = typeof body._action === 'string' ? body._action : 'continue';
    const from = typeof body._page === 'string' ? body._page : '';
    const returning = body._return === CHECK_PAGE;
    const pages = flow(context, answers);
    const day = londonDateOf(deps.clock.now());
    const check = (status: number) => {
      const checked = checkAll(context, answers, day);
      send(res, status, checkPage(context, answers, checked.ok ? [] : checked.errors, csrf));
    };

    if (action.startsWith('change:')) {
      const page = pages.find((p) => p.key === action.slice('change:'.length));
      if (page) return send(res, 200, questionPage(context, page, answers, [], true, csrf));
      return check(200);
    }
    if (action === 'submit') {
      const checked = checkAll(context, answers, day);
      if (!checked.ok) return send(res, 400, checkPage(context, answers, checked.errors, csrf));
      const seconds = deps.limiter(req.ip ?? 'unknown', deps.clock.now());
      if (seconds > 0) {
        res.set('Retry-After', String(seconds));
        const message = `Too many answers have been sent from this network in the last minute. Wait ${seconds} seconds, then select Send answers again: your answers are kept.`;
        return send(res, 429, checkPage(context, answers, [{ id: 'send', message }], csrf));
      }
      await deps.store.addResponses([checked.response]);
      return res.redirect(303, `/survey/${survey.id}/thank-you`);
    }
    const index = pages.findIndex((p) => p.key === from);
    if (action === 'back') {
      if (returning || from === CHECK_PAGE) {
        const last = returning ? undefined : pages.at(-1);
        return last ? send(res, 200, questionPage(context, last, answers, [], false, csrf)) : check(200);
      }
      const previous = pages[index - 1];
      if (!previous) return res.redirect(303, `/survey/${survey.id}`);
      return send(res, 200, questionPage(context, previous, answers, [], false, csrf));
    }

    // Continue: check this page; then the next page, or (when changing an answer) the first page
    // still missing something, else back to checking the answers.
    const page = pages[index];
    if (!page) return check(200);
    const problems = page.validate(answers);
    if (problems.length > 0) {
      const errors = problems.map((p) => ({ id: fieldId(p.name), message: p.message, name: p.name }));
      return send(res, 400, questionPage(context, page, answers, errors, returning, csrf));
    }
    const next = returning ? pages.find((p) => p.validate(answers).length > 0) : pages[index + 1];
    if (!next) return check(200);
    send(res, 200, questionPage(context, next, answers, [], returning, csrf));
  });

  // A person whose page is too large to read (a comment pasted far past its limit) is told what to
  // do in a page; a client that does not ask for HTML gets the API's JSON error.
  router.use('/survey', (error: unknown, req: Request, res: Response, next: NextFunction) => {
    const tooLarge = (error as { type?: string } | null)?.type === 'entity.too.large';
    if (tooLarge && req.accepts(['json', 'html']) === 'html') send(res, 413, tooLongPage());
    else next(error);
  });
  router.use('/survey', (_req, res) => send(res, 404, notFoundPage()));
  return router;
}

/** Back to the previous page, with every answer (including this page's saved ones) carried along. */
function backForm(survey: Survey, answers: Answers, page: string, returning: boolean, csrf: Html): Html {
  return html`<form method="post" action="/survey/${survey.id}" class="nhsuk-u-margin-bottom-4" novalidate>
${csrf}${hiddenFields(answers, new Set())}<input type="hidden" name="_page" value="${page}">
${returning ? html`<input type="hidden" name="_return" value="${CHECK_PAGE}">` : ''}
<button type="submit" name="_action" value="back" class="vantage-link-button">‹ Back</button>
</form>`;
}

function questionPage(
  context: FormContext,
  page: Page,
  answers: Answers,
  errors: (FieldError & { name: string })[],
  returning: boolean,
  csrf: Html,
): Html {
  const { survey } = context;
  const byName = new Map(errors.map((e) => [e.name, e.message]));
  return layout({
    title: `${page.title} – ${survey.title}`,
    errors: errors.length > 0,
    ...(page.key === 'about-you' ? { script: '/survey/assets/site-filter.js' } : {}),
    body: html`${backForm(survey, answers, page.key, returning, csrf)}
${progress(page.section)}
${errorSummary(errors)}
<form method="post" action="/survey/${survey.id}" novalidate>
${csrf}${hiddenFields(answers, page.fields)}<input type="hidden" name="_page" value="${page.key}">
${returning ? html`<input type="hidden" name="_return" value="${CHECK_PAGE}">` : ''}
${page.render(answers, byName)}
<button class="nhsuk-button" type="submit" name="_action" value="continue">Continue</button>
</form>`,
  });
}

function checkPage(context: FormContext, answers: Answers, errors: FieldError[], csrf: Html): Html {
  const { survey } = context;
  return layout({
    title: `${CHECK_TITLE} – ${survey.title}`,
    errors: errors.length > 0,
    body: html`${backForm(survey, answers, CHECK_PAGE, false, csrf)}
${progress(SECTIONS.length)}
${errorSummary(errors)}
<form method="post" action="/survey/${survey.id}" novalidate>
${csrf}${hiddenFields(answers, new Set())}<input type="hidden" name="_page" value="${CHECK_PAGE}">
${renderCheck(context, answers)}
<button class="nhsuk-button" id="send" type="submit" name="_action" value="submit">Send answers</button>
</form>`,
  });
}
