import type { Request, Response } from 'express';
import { durationMs } from '../../common/duration.js';
import type { Access } from '../config/schema.js';
import type { AccessStore, SessionRow, UserRow } from '../store/access.js';
import { clearCookie, cookieName, cookiesOf, setCookie } from './cookies.js';
import { hashSecret, randomSecret } from './secrets.js';

export const SESSION_COOKIE = 'vantage_session';
export const DEFAULT_IDLE = '1h';
export const DEFAULT_ABSOLUTE = '12h';
/** A session's last use is written at most this often: reads do not each cost a write. */
const TOUCH_EVERY_MS = 60_000;

export interface SessionTimes {
  idleMs: number;
  absoluteMs: number;
}

export function sessionTimes(access: Access | undefined): SessionTimes {
  return {
    idleMs: durationMs(access?.session?.idle ?? DEFAULT_IDLE),
    absoluteMs: durationMs(access?.session?.absolute ?? DEFAULT_ABSOLUTE),
  };
}

/** Starts a session for a user who has just proved who they are, and sets its cookie. */
export async function startSession(
  store: Pick<AccessStore, 'addSession' | 'signedIn'>,
  req: Request,
  res: Response,
  user: UserRow,
  times: SessionTimes,
  now: number,
): Promise<SessionRow> {
  const secret = randomSecret();
  const session: SessionRow = {
    idHash: hashSecret(secret),
    userId: user.id,
    csrf: randomSecret(),
    address: req.ip ?? null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + times.absoluteMs,
  };
  await store.addSession(session);
  await store.signedIn(user.id, now);
  // The cookie lasts as long as the session may; the server decides idleness, not the browser.
  setCookie(req, res, SESSION_COOKIE, secret, { sameSite: 'Lax', maxAgeMs: times.absoluteMs });
  return session;
}

export type SessionLookup =
  | { state: 'none' }
  | { state: 'ended' }
  | { state: 'live'; session: SessionRow; user: UserRow };

/** The session a request's cookie names, if it is still live; an ended one is removed. */
export async function readSession(
  store: Pick<AccessStore, 'session' | 'user' | 'endSession' | 'touchSession'>,
  req: Request,
  times: SessionTimes,
  now: number,
): Promise<SessionLookup> {
  const secret = cookiesOf(req).get(cookieName(req, SESSION_COOKIE));
  if (!secret) return { state: 'none' };
  const idHash = hashSecret(secret);
  const session = await store.session(idHash);
  if (!session) return { state: 'ended' };
  if (now >= session.expiresAt || now - session.lastSeenAt >= times.idleMs) {
    await store.endSession(idHash);
    return { state: 'ended' };
  }
  const user = await store.user(session.userId);
  if (!user) return { state: 'ended' };
  if (now - session.lastSeenAt >= TOUCH_EVERY_MS) await store.touchSession(idHash, now);
  return { state: 'live', session, user };
}

/** Ends the request's session, if any, and clears its cookie. */
export async function endSession(
  store: Pick<AccessStore, 'endSession'>,
  req: Request,
  res: Response,
): Promise<void> {
  const secret = cookiesOf(req).get(cookieName(req, SESSION_COOKIE));
  if (secret) await store.endSession(hashSecret(secret));
  clearCookie(req, res, SESSION_COOKIE);
}
