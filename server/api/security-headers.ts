import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import helmet from 'helmet';

/**
 * What a browser may load and run for any Vantage answer. Nothing inline (no script, no `<style>`, no
 * `style=` attribute), nothing from elsewhere: staff browsers call nothing but Vantage. Sign-in with the
 * identity provider is a link, not a form, so `form-action` need not name the provider.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'object-src': ["'none'"],
};

/** A year, and every subdomain: a browser that has once reached Vantage over HTTPS never tries plain HTTP. */
const HSTS = 'max-age=31536000; includeSubDomains';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * The security headers of every answer: pages, the API, the survey form, static files and errors. First
 * in the app, so even a refusal or a 404 carries them.
 *
 * Referrer-Policy is `same-origin`: other sites learn nothing, not even Vantage's address (page paths
 * name systems and sites, the sign-in callback's carries a code). `no-referrer` would also make browsers
 * send `Origin: null` with Vantage's own form posts and fetches, which the check of a change's origin
 * must then refuse or trust blindly.
 */
export function securityHeaders(): Middleware {
  const headers = helmet({
    // Not helmet's defaults: they add `upgrade-insecure-requests`, which breaks every page served over
    // plain HTTP on an internal address (the browser asks for its scripts over HTTPS, from nothing).
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
    // Only over HTTPS (below): sent over plain HTTP it is ignored, and it would mislead anyone reading it.
    strictTransportSecurity: false,
  });
  return (req, res, next) => {
    if (isSecure(req)) res.setHeader('Strict-Transport-Security', HSTS);
    res.removeHeader('X-Powered-By');
    headers(req, res, next);
  };
}

/**
 * Whether the request came over HTTPS: Express's `req.secure` (which believes `X-Forwarded-Proto` only
 * from the proxies `settings.trustProxy` lists), or, before Express has seen it, the socket itself.
 */
function isSecure(req: IncomingMessage): boolean {
  const secure = (req as { secure?: unknown }).secure;
  return typeof secure === 'boolean' ? secure : Boolean((req.socket as TLSSocket).encrypted);
}
