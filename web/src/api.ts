import type { MeResponse } from './types.js';

/** A failed API call, with the message the server gave. */
export class ApiFailure extends Error {
  /** The HTTP status the server answered with; undefined when it could not be reached. */
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/** Where the browser goes when the server says nobody is signed in: to sign in, then back here. */
export function signInPath(): string {
  return `/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`;
}

async function call(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, { ...init, credentials: 'same-origin' });
  } catch {
    throw new ApiFailure(
      'Vantage cannot be reached. Check that the server is running, then reload the page.',
    );
  }
}

async function answer<T>(response: Response): Promise<T> {
  if (response.status === 401) {
    // The session ended (or there never was one): sign in again and come back to this page.
    location.assign(signInPath());
    throw new ApiFailure('You need to sign in again. Taking you to the sign-in page…', 401);
  }
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!response.ok)
    throw new ApiFailure(body?.error?.message ?? `the server answered ${response.status}`, response.status);
  return body as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return answer<T>(await call(path, { headers: { accept: 'application/json' } }));
}

/**
 * A change: JSON in, JSON (or nothing) out, with the session's CSRF value, without which the server
 * refuses any change made with the session's cookie.
 */
export async function sendJson<T>(
  me: MeResponse | undefined,
  method: 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (me?.csrf) headers['x-csrf-token'] = me.csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return answer<T>(
    await call(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }),
  );
}

/** Who is signed in; undefined for nobody (a page open to the public can still be shown). */
export async function loadMe(): Promise<MeResponse | undefined> {
  const response = await call('/api/v1/me', { headers: { accept: 'application/json' } });
  if (response.status === 401) return undefined;
  return answer<MeResponse>(response);
}
