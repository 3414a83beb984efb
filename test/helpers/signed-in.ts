import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { hashSecret, randomSecret } from '../../server/access/secrets.js';
import { SESSION_COOKIE } from '../../server/access/sessions.js';
import type { AccessStore, Role, UserRow } from '../../server/store/access.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';

export interface Person {
  email: string;
  name?: string;
  role: Role;
  organisations?: string[];
}

/** The central informatics team's lead, as the dashboard tests sign in unless they say otherwise. */
export const ADMIN: Person = { email: 'cio@example.org', name: 'Chief Information Officer', role: 'admin' };

export interface SignedIn {
  user: UserRow;
  /** The session cookie's value. */
  secret: string;
  /** The `Cookie` header a browser would send over HTTP. */
  cookie: string;
  /** What each change made with the cookie sends as `X-CSRF-Token`. */
  csrf: string;
}

/**
 * A person with a live session, made straight in the store as signing in would leave them: the user's
 * row, and a session row holding only the hash of the cookie's secret.
 */
export async function signedIn(
  store: { access: AccessStore },
  person: Person,
  at: number = Date.now(),
  /** How long after `at` the session ends, however it is used. */
  absoluteMs = 12 * 3_600_000,
): Promise<SignedIn> {
  const user = await store.access.putUser({
    id: randomUUID(),
    email: person.email,
    name: person.name ?? person.email.split('@')[0] ?? person.email,
    role: person.role,
    organisations: person.organisations ?? [],
    source: 'local',
    passwordHash: null,
    claims: null,
    createdAt: at,
    updatedAt: at,
    lastSignInAt: null,
  });
  const secret = randomSecret();
  const csrf = randomSecret();
  await store.access.addSession({
    idHash: hashSecret(secret),
    userId: user.id,
    csrf,
    address: '127.0.0.1',
    createdAt: at,
    lastSeenAt: at,
    expiresAt: at + absoluteMs,
  });
  await store.access.signedIn(user.id, at);
  return { user, secret, cookie: `${SESSION_COOKIE}=${secret}`, csrf };
}

/** The same, in a database file a running server holds (SQLite lets both in). */
export async function signedInAt(dbFile: string, person: Person): Promise<SignedIn> {
  const store = SqliteStores.open(dbFile);
  try {
    return await signedIn(store, person);
  } finally {
    await store.close();
  }
}

/** A browser context that sends the person's session cookie to the server at `url`. */
export async function signInBrowser(context: BrowserContext, url: string, person: SignedIn): Promise<void> {
  await context.addCookies([
    { name: SESSION_COOKIE, value: person.secret, url, httpOnly: true, sameSite: 'Lax' },
  ]);
}

/** A page in a browser context of its own, signed in as the person; closing the page closes the context. */
export async function pageAs(
  browser: Browser,
  url: string,
  person: SignedIn,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext(options);
  await signInBrowser(context, url, person);
  const page = await context.newPage();
  page.once('close', () => void context.close().catch(() => undefined));
  return page;
}
