import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../api/errors.js';
import { layout } from '../survey-form/components.js';
import { type Html, html } from '../survey-form/html.js';
import { cookieName, cookiesOf, setCookie } from './cookies.js';
import { randomSecret, sameSecret } from './secrets.js';

/**
 * Forms posted without a session (the survey, sign-in) are protected by a double submit: a random
 * value in an HttpOnly SameSite=Strict cookie, set when the form is shown, and the same value in the
 * form's hidden `_csrf` field. Another site can make a browser post, but can neither read the value
 * nor (SameSite=Strict) have the cookie sent with its post.
 */
export const FORM_COOKIE = 'vantage_form';
export const CSRF_FIELD = '_csrf';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The value this browser's forms carry: the one it already has, or a new one set as its cookie. */
export function formToken(req: Request, res: Response): string {
  const known = cookiesOf(req).get(cookieName(req, FORM_COOKIE));
  if (known && TOKEN.test(known)) return known;
  const fresh = randomSecret();
  // No Max-Age: it lasts while the browser is open, so a survey left half done can still be sent.
  setCookie(req, res, FORM_COOKIE, fresh, { sameSite: 'Strict' });
  return fresh;
}

/** The hidden field every `<form method="post">` carries. */
export function csrfField(token: string): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
}

/** What a posted form sent as `_csrf`, if a single string. */
export function sentToken(req: Request): string | undefined {
  const value = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  return typeof value === 'string' ? value : undefined;
}

/** Whether a posted anonymous form carries the value of this browser's form cookie. */
export function formTokenValid(req: Request): boolean {
  const cookie = cookiesOf(req).get(cookieName(req, FORM_COOKIE));
  const sent = sentToken(req);
  return cookie !== undefined && sent !== undefined && TOKEN.test(cookie) && sameSecret(sent, cookie);
}

const EXPIRED = 'This form has expired or came from another site. Go back, reload the page and try again.';

export function formExpiredPage(service = 'Vantage'): Html {
  return layout({
    title: `This form has expired – ${service}`,
    service,
    footer: html``,
    body: html`<h1 class="nhsuk-heading-xl">This form has expired</h1>
<p class="nhsuk-body">${EXPIRED}</p>`,
  });
}

/** Refuses a posted form that failed its check: a page for a browser, the API's JSON for a script. */
export function refuseForm(req: Request, res: Response, service?: string): void {
  if (req.accepts(['json', 'html']) === 'html') {
    res.status(403).type('html').set('Cache-Control', 'no-store').send(formExpiredPage(service).value);
    return;
  }
  res.status(403).json({ error: { code: 'forbidden', message: EXPIRED } });
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Before any route: a change a browser was made to send from another site is refused, whatever the
 * route (a browser names the page's origin in `Origin` and says `Sec-Fetch-Site: cross-site`).
 * Requests with a bearer token are scripts and agents: no browser adds that header for another site.
 */
export function refuseCrossSite(req: Request, res: Response, next: NextFunction): void {
  const origin = req.get('origin');
  const crossSite = req.get('sec-fetch-site') === 'cross-site';
  const scripted = /^Bearer\s/i.test(req.headers.authorization ?? '');
  if (
    !UNSAFE.has(req.method) ||
    scripted ||
    (!crossSite && (origin === undefined || sameOrigin(origin, req)))
  ) {
    next();
  } else if (req.accepts(['json', 'html']) === 'html') {
    refuseForm(req, res);
  } else {
    next(
      new ApiError('forbidden', `a ${req.method} from another site is refused: ${origin ?? 'cross-site'}`, {
        origin: origin ?? null,
      }),
    );
  }
}

/**
 * Whether `origin` is this server's as the browser sees it (through a trusted proxy's forwarded host
 * and scheme). `Origin: null` (a sandboxed or privacy-redirected page) is not.
 */
function sameOrigin(origin: string, req: Request): boolean {
  try {
    return new URL(origin).origin === new URL(`${req.protocol}://${req.host}`).origin;
  } catch {
    return false;
  }
}
