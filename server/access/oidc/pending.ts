import type { Request, Response } from 'express';
import { clearCookie, cookieName, cookiesOf, setCookie } from '../cookies.js';
import { hashSecret, randomSecret } from '../secrets.js';

/** A sign-in started with the provider and not yet finished. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Sent to the provider at the start, and again with the code: they must be the same. */
  redirectUri: string;
  /** Where the person goes once signed in. */
  next: string;
  expiresAt: number;
}

export const PENDING_COOKIE = 'vantage_oidc';
/** Long enough to sign in at the provider (a password and a second factor), short enough to be useless later. */
export const PENDING_MS = 10 * 60_000;
/**
 * At most this many kept at once: starting a sign-in costs an anonymous caller nothing, so the oldest
 * give way rather than memory growing without bound.
 */
const MAX_PENDING = 10_000;

/**
 * Sign-ins under way, in memory, keyed by the hash of a random id kept in a short-lived cookie on the
 * person's browser. Each is used once: taken, whatever the outcome. A restart forgets them, and the
 * person is asked to sign in again.
 */
export class PendingSignIns {
  readonly #pending = new Map<string, PendingSignIn>();

  /** Keeps a new sign-in and sets its cookie. */
  begin(req: Request, res: Response, pending: PendingSignIn, now: number): void {
    this.#prune(now);
    while (this.#pending.size >= MAX_PENDING) {
      const oldest = this.#pending.keys().next().value;
      if (oldest === undefined) break;
      this.#pending.delete(oldest);
    }
    const id = randomSecret();
    this.#pending.set(hashSecret(id), pending);
    // Lax: the provider sends the person back with a top-level GET from its own site, which Lax allows.
    setCookie(req, res, PENDING_COOKIE, id, { sameSite: 'Lax', maxAgeMs: PENDING_MS });
  }

  /** The request's sign-in under way, taken (it cannot be used again), and its cookie cleared. */
  take(req: Request, res: Response, now: number): PendingSignIn | undefined {
    const id = cookiesOf(req).get(cookieName(req, PENDING_COOKIE));
    clearCookie(req, res, PENDING_COOKIE);
    if (!id) return undefined;
    const key = hashSecret(id);
    const pending = this.#pending.get(key);
    this.#pending.delete(key);
    return pending && pending.expiresAt > now ? pending : undefined;
  }

  #prune(now: number): void {
    // Insertion order is expiry order: stop at the first still live.
    for (const [key, pending] of this.#pending) {
      if (pending.expiresAt > now) break;
      this.#pending.delete(key);
    }
  }
}

/**
 * Where to go after signing in: a path on this site only. `//evil.example` and `/\evil.example` are
 * read by browsers as other sites, so anything but a single `/` followed by a path becomes `/`.
 */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2_000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // Control characters (a tab or newline inside `/\t/evil`) are dropped by browsers when parsing.
  if ([...value].some((c) => c <= '\u001f' || c === '\u007f' || c === '\\')) return '/';
  try {
    const url = new URL(value, 'http://vantage.invalid');
    if (url.origin !== 'http://vantage.invalid') return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}
