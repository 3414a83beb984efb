import type { Request, Response } from 'express';

/** The cookies a request sent, by name; a malformed pair is skipped. */
export function cookiesOf(req: Request): Map<string, string> {
  const cookies = new Map<string, string>();
  const header = req.headers.cookie;
  if (!header) return cookies;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at < 1) continue;
    const name = pair.slice(0, at).trim();
    if (cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(pair.slice(at + 1).trim()));
    } catch {
      // Not percent-encoded as we write them: not one of ours.
    }
  }
  return cookies;
}

/**
 * A cookie name that the browser binds to this host over HTTPS (`__Host-`: Secure, path /, no domain),
 * and the plain name over HTTP, where `__Host-` cookies cannot be set.
 */
export function cookieName(req: Request, name: string): string {
  return req.secure ? `__Host-${name}` : name;
}

export interface CookieOptions {
  maxAgeMs?: number;
  sameSite: 'Lax' | 'Strict';
}

/** Sets an HttpOnly cookie for the whole site, Secure when the request came over HTTPS. */
export function setCookie(
  req: Request,
  res: Response,
  name: string,
  value: string,
  options: CookieOptions,
): void {
  const parts = [
    `${cookieName(req, name)}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    `SameSite=${options.sameSite}`,
  ];
  if (req.secure) parts.push('Secure');
  if (options.maxAgeMs !== undefined)
    parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAgeMs / 1000))}`);
  res.append('Set-Cookie', parts.join('; '));
}

export function clearCookie(req: Request, res: Response, name: string): void {
  setCookie(req, res, name, '', { maxAgeMs: 0, sameSite: 'Lax' });
}
