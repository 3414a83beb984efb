import type { NextFunction, Request, Response } from 'express';
import { formBody } from '../api/body.js';
import { ApiError } from '../api/errors.js';
import type { Estate, PublicPart } from '../config/schema.js';
import type { Role } from '../store/access.js';
import { type Principal, resolvePrincipal, roleOf } from './principal.js';
import { sameSecret } from './secrets.js';

/** What a partner may act on: the organisations responsible for it decide. */
export type Subject = { kind: 'system' | 'site' | 'channel'; id: string };

/**
 * Who may use a route. Every route is declared with one (`allow(rule)` first in its chain), and the app
 * refuses to start with a route that has none (route-rules.ts).
 */
export type Rule =
  /** Anyone, signed in or not: the survey form and its answers, health, the sign-in pages. */
  | { kind: 'anyone' }
  /** Anyone when `access.public` lists the part; otherwise as `read`. */
  | { kind: 'public'; part: PublicPart }
  /** Anyone signed in, or an API token: partners read the whole economy, as viewers do. */
  | { kind: 'read' }
  /** An admin, or a partner of an organisation responsible for the subject (a system's owner, a site's host). */
  | { kind: 'act'; subject: (req: Request) => Subject | undefined; doing: string }
  /** Admins only: users, tokens, the audit log, settings. */
  | { kind: 'admin'; doing: string }
  /** A site's agent, with its bearer token (checked by the agents' routes themselves). */
  | { kind: 'agent' }
  /** A dashboard page: signed-in people see it; anyone else is sent to sign in, unless its part is public. */
  | { kind: 'page'; part?: PublicPart };

export const anyone: Rule = { kind: 'anyone' };
export const read: Rule = { kind: 'read' };
export const agentOnly: Rule = { kind: 'agent' };
export const publicPart = (part: PublicPart): Rule => ({ kind: 'public', part });
export const adminOnly = (doing: string): Rule => ({ kind: 'admin', doing });
export const actOn = (doing: string, subject: (req: Request) => Subject | undefined): Rule => ({
  kind: 'act',
  doing,
  subject,
});

const RULE = Symbol('vantage.rule');
/** Generic in the route's parameters, so a guard first in a chain leaves the route's own handlers typed. */
// Typed loosely: a guard typed with any parameters of its own would fix the route's handlers' to those.
// biome-ignore lint/suspicious/noExplicitAny: the route's handlers read their path's named parameters
type Guard = ((req: Request<any>, res: Response, next: NextFunction) => Promise<void>) & { [RULE]: Rule };

/** The rule a route's first handler carries, if it is a guard. */
export function ruleOf(handler: unknown): Rule | undefined {
  return typeof handler === 'function' ? (handler as Partial<Guard>)[RULE] : undefined;
}

/** The organisations responsible for a subject; undefined when the estate has no such subject. */
export function responsibleFor(estate: Estate | undefined, subject: Subject): string[] | undefined {
  if (!estate) return undefined;
  if (subject.kind === 'system') {
    const system = estate.systems.find((s) => s.id === subject.id);
    return system && [system.owner];
  }
  if (subject.kind === 'channel') {
    const channel = estate.channels.find((c) => c.id === subject.id);
    return channel && [channel.organisation];
  }
  const site = estate.sites.find((s) => s.id === subject.id);
  return site && [site.host];
}

export type Decision =
  | { ok: true }
  | { ok: false; status: 401 | 403; message: string; details?: Record<string, unknown> };

const SIGN_IN = 'sign in first, or send an API token as Authorization: Bearer …';

/** Whether a principal may use a route with this rule: the one place roles are judged. */
export function decide(
  rule: Rule,
  principal: Principal,
  context: Pick<AccessContext, 'estate'>,
  req: Request,
): Decision {
  if (rule.kind === 'anyone') return { ok: true };
  if (rule.kind === 'agent') {
    return principal.kind === 'agent'
      ? { ok: true }
      : {
          ok: false,
          status: 401,
          message: 'this route is for site agents: send the agent token as Authorization: Bearer …',
        };
  }
  if (principal.kind === 'agent') {
    return {
      ok: false,
      status: 403,
      message: 'an agent token opens only the agent routes',
      details: { needs: 'a user or API token' },
    };
  }
  const isPublic = (part?: PublicPart) =>
    part !== undefined && (context.estate()?.access.public ?? []).includes(part);
  if (rule.kind === 'public' && isPublic(rule.part)) return { ok: true };
  if (rule.kind === 'page' && isPublic(rule.part)) return { ok: true };
  const role = roleOf(principal);
  if (!role)
    return {
      ok: false,
      status: 401,
      message:
        principal.kind === 'anonymous' && principal.sessionEnded
          ? `your session has ended: ${SIGN_IN}`
          : SIGN_IN,
    };
  if (rule.kind === 'read' || rule.kind === 'public' || rule.kind === 'page') return { ok: true };
  if (rule.kind === 'admin') {
    return role === 'admin' ? { ok: true } : forbidden(`${rule.doing} needs the admin role`, 'admin', role);
  }
  // Acting on something: an admin always; a partner for what its organisations answer for.
  if (role === 'admin') return { ok: true };
  if (role === 'viewer')
    return forbidden(
      `${rule.doing} needs the partner role for the organisation responsible, or admin`,
      'partner',
      role,
    );
  const estate = context.estate();
  // Without an estate nobody answers for anything, so no partner acts on anything.
  if (!estate)
    return forbidden(`${rule.doing} needs the estate file to say who is responsible`, 'admin', role);
  const subject = rule.subject(req);
  const responsible = subject && responsibleFor(estate, subject);
  // No such subject: the route itself says so (404) to anyone who could act on some subject.
  if (!subject || !responsible) return { ok: true };
  const own = principal.kind === 'user' || principal.kind === 'api-token' ? principal.organisations : [];
  if (responsible.some((org) => own.includes(org))) return { ok: true };
  const whose = {
    system: "the system's owner",
    site: "the site's host",
    channel: "the channel's organisation",
  }[subject.kind];
  return forbidden(
    `${rule.doing} on ${subject.kind} '${subject.id}' needs a partner of ${responsible.join(' or ')} (${whose}), or admin; you act for ${own.join(', ') || 'no organisation'}`,
    `partner of ${responsible.join(' or ')}`,
    role,
  );
}

function forbidden(message: string, needs: string, have: Role): Decision {
  return { ok: false, status: 403, message, details: { needs, have } };
}

const CONTEXT = 'vantage.access';
/** A signed-in page's form (a button that works without scripts) holds its CSRF field and little else. */
const SESSION_FORM = formBody({ bytes: 4 * 1024, fields: 10 });

/**
 * The session's CSRF value as a posted form sends it, in `_csrf` (the page has no script to set the
 * header): the form body is read here, within a small limit, and left parsed for the route.
 */
async function formCsrf(req: Request, res: Response): Promise<string | undefined> {
  if (!req.is('application/x-www-form-urlencoded')) return undefined;
  const failed = await new Promise<unknown>((resolve) => SESSION_FORM(req, res, resolve));
  if (failed) return undefined;
  const value = (req.body as Record<string, unknown> | undefined)?._csrf;
  return typeof value === 'string' ? value : undefined;
}
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What guards need from the app: the estate (for `access.public` and who answers for what). */
export interface AccessContext {
  estate: () => Estate | undefined;
  /** Where a page asked for without a session goes instead (the sign-in page). */
  onPageRefused: (req: Request, res: Response) => void;
}

export function provideAccessContext(locals: Record<string, unknown>, context: AccessContext): void {
  locals[CONTEXT] = context;
}

/**
 * A route's guard, first in its chain: decides from the principal (set by `authenticate`) and the rule,
 * before the route's own handlers (and before any body is read).
 */
export function allow(rule: Rule): Guard {
  const handler = async (req: Request, res: Response, next: NextFunction) => {
    const context = req.app.locals[CONTEXT] as AccessContext | undefined;
    if (!context) return next(new Error('the access rules are not set up for this app'));
    // Open to anyone: no session or token is looked up (health checks work with the database down).
    if (rule.kind === 'anyone') return next();
    let principal: Principal;
    try {
      principal = await resolvePrincipal(req);
    } catch (error) {
      return next(error);
    }
    const decision = decide(rule, principal, context, req);
    if (decision.ok) {
      // A change made with a session cookie must carry the session's CSRF value: another site can make
      // the browser send the cookie, but cannot read the value. Routes open to anyone check their forms' own.
      if (principal.kind === 'user' && !SAFE_METHODS.has(req.method)) {
        const sent = req.get('x-csrf-token') ?? (await formCsrf(req, res));
        if (!sent || !sameSecret(sent, principal.csrf))
          return next(
            new ApiError(
              'forbidden',
              'this change did not carry the CSRF token of your session: reload the page and try again',
              { needs: 'X-CSRF-Token' },
            ),
          );
      }
      return next();
    }
    if (rule.kind === 'page' && decision.status === 401) return context.onPageRefused(req, res);
    if (decision.status === 401) res.set('WWW-Authenticate', 'Bearer realm="vantage"');
    next(
      new ApiError(
        decision.status === 401 ? 'unauthorised' : 'forbidden',
        decision.message,
        decision.details,
      ),
    );
  };
  return Object.assign(handler, { [RULE]: rule });
}
