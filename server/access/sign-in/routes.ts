import { type Request, type Response, Router } from 'express';
import type { Clock } from '../../../common/clock.js';
import { formBody } from '../../api/body.js';
import type { Estate } from '../../config/schema.js';
import type { AccessStore, UserRow } from '../../store/access.js';
import type { Html } from '../../survey-form/html.js';
import { audit } from '../audit.js';
import { csrfField, formToken, formTokenValid, refuseForm, sentToken } from '../form-csrf.js';
import { verifyPassword } from '../passwords.js';
import { resolvePrincipal } from '../principal.js';
import { allow, anyone } from '../rules.js';
import { sameSecret } from '../secrets.js';
import { endSession, sessionTimes, startSession } from '../sessions.js';
import type { SignInThrottle } from '../throttle.js';
import { demoAccounts, putDemoUser } from './demo-accounts.js';
import { notDemoPage, type SignInView, signInPage, tooManyPage } from './pages.js';

export interface SignInDeps {
  store: AccessStore;
  clock: Clock;
  estate: () => Estate | undefined;
  throttle: SignInThrottle;
  /** Whether the server runs the demo: only then are the demo accounts offered. */
  demo: boolean;
}

/** An email, a password of at most 1,024 characters, `next`, `_csrf`: a few KB at the very most. */
const SIGN_IN_BODY = { bytes: 8 * 1024, fields: 10 };

/**
 * Where to go after signing in: a path on this site only (one `/`, not `//host` or `/\host`, which
 * browsers take as another site), else the dashboard's front page.
 */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2_000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  return value;
}

/** The sign-in page, local and demo sign-in, and sign-out. Each checks its own form's CSRF value. */
export function signInRoutes(deps: SignInDeps): Router {
  const router = Router();
  const send = (res: Response, status: number, page: Html) => {
    res.status(status).type('html').set('Cache-Control', 'no-store').send(page.value);
  };
  const view = async (req: Request, res: Response, next: string): Promise<SignInView> => {
    const principal = await resolvePrincipal(req);
    const oidc = deps.estate()?.access.oidc;
    return {
      next,
      principal,
      // Signed in, the page's only form is sign-out, which carries the session's own value.
      csrf: csrfField(principal.kind === 'user' ? principal.csrf : formToken(req, res)),
      ended: req.query.ended === '1' || (principal.kind === 'anonymous' && principal.sessionEnded === true),
      ...(oidc ? { oidcLabel: oidc.label ?? 'your NHS account' } : {}),
      ...(deps.demo ? { demoAccounts: demoAccounts(deps.estate() ?? { organisations: [] }) } : {}),
    };
  };

  // The form again, with what was wrong: whoever posted it, the form is what they are shown.
  const formView = async (req: Request, res: Response, next: string): Promise<SignInView> => ({
    ...(await view(req, res, next)),
    principal: { kind: 'anonymous' },
    csrf: csrfField(formToken(req, res)),
    ended: false,
  });

  router.get('/sign-in', allow(anyone), async (req, res) => {
    send(res, 200, signInPage(await view(req, res, safeNext(req.query.next))));
  });

  router.post('/sign-in', allow(anyone), formBody(SIGN_IN_BODY), async (req, res) => {
    if (!formTokenValid(req)) return refuseForm(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const shown = await formView(req, res, next);
    const missing = [
      ...(email === '' ? [{ id: 'email', message: 'Enter your email address' }] : []),
      ...(password === '' ? [{ id: 'password', message: 'Enter your password' }] : []),
    ];
    if (missing.length > 0) return send(res, 400, signInPage({ ...shown, email, errors: missing }));

    const address = req.ip ?? 'unknown';
    const wait = deps.throttle.wait(email, address);
    if (wait > 0) {
      await audit(deps.store, deps.clock, req, {
        action: 'sign-in-failed',
        actor: email,
        detail: { method: 'local', reason: 'throttled' },
      });
      res.set('Retry-After', String(wait));
      return send(res, 429, tooManyPage(wait, deps.clock.now() + wait * 1000, next));
    }
    const user = await deps.store.userByEmail(email);
    const local = user?.source === 'local' ? user : undefined;
    // The same scrypt work whether or not the account exists, and the same answer.
    const ok = await verifyPassword(password, local?.passwordHash);
    if (!ok || !local) {
      deps.throttle.failed(email, address);
      await audit(deps.store, deps.clock, req, {
        action: 'sign-in-failed',
        actor: email,
        detail: {
          method: 'local',
          reason: !user
            ? 'unknown-account'
            : !local
              ? `not-a-local-account (${user.source})`
              : 'wrong-password',
        },
      });
      return send(
        res,
        400,
        signInPage({
          ...shown,
          email,
          errors: [{ id: 'email', message: 'Enter a correct email address and password' }],
        }),
      );
    }
    deps.throttle.succeeded(email);
    await signIn(req, res, local, 'local', next);
  });

  router.post('/sign-in/demo', allow(anyone), formBody(SIGN_IN_BODY), async (req, res) => {
    if (!deps.demo) return send(res, 404, notDemoPage());
    if (!formTokenValid(req)) return refuseForm(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const account = demoAccounts(deps.estate() ?? { organisations: [] }).find((a) => a.key === body.account);
    if (!account) {
      const shown = await formView(req, res, safeNext(body.next));
      return send(
        res,
        400,
        signInPage({ ...shown, errors: [{ id: 'email', message: 'Choose one of the demo accounts' }] }),
      );
    }
    // Put back as the demo made it, should it have been changed or removed since the start.
    const user = await putDemoUser(deps.store, account, deps.clock.now());
    await signIn(req, res, user, 'demo', safeNext(body.next));
  });

  router.post('/sign-out', allow(anyone), formBody(SIGN_IN_BODY), async (req, res) => {
    const principal = await resolvePrincipal(req);
    if (principal.kind === 'user') {
      const sent = sentToken(req);
      if (!sent || !sameSecret(sent, principal.csrf)) return refuseForm(req, res);
      await endSession(deps.store, req, res);
      await audit(deps.store, deps.clock, req, { action: 'sign-out', subject: principal.email });
    } else {
      // Nothing to end (already ended, or never signed in): the stale cookie goes all the same.
      await endSession(deps.store, req, res);
    }
    res.set('Cache-Control', 'no-store').redirect(303, '/sign-in');
  });

  const signIn = async (
    req: Request,
    res: Response,
    user: UserRow,
    method: 'local' | 'demo',
    next: string,
  ) => {
    // A session this browser already had is ended first: each sign-in is a new session (and cookie).
    const before = await resolvePrincipal(req);
    if (before.kind === 'user') await deps.store.endSession(before.sessionHash);
    const now = deps.clock.now();
    await startSession(deps.store, req, res, user, sessionTimes(deps.estate()?.access), now);
    await audit(deps.store, deps.clock, req, {
      action: 'sign-in',
      actor: user.email,
      subject: user.email,
      detail: { method, role: user.role },
    });
    res.set('Cache-Control', 'no-store').redirect(303, next);
  };

  return router;
}
