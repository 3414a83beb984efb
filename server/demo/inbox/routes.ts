import { Router } from 'express';
import { allow, anyone, read } from '../../access/rules.js';
import { jsonBody } from '../../api/body.js';
import { ApiError } from '../../api/errors.js';
import type { Estate } from '../../config/schema.js';
import type { DemoInbox } from './inbox.js';
import { EMAIL_CSP, INBOX_CSS, INBOX_CSS_PATH, inboxPage } from './page.js';

/** A webhook message is a few kilobytes; the sink takes more, but bounded. */
const WEBHOOK_BODY = { bytes: 256 * 1024, depth: 32 };
const CHANNEL = /^[a-z0-9][a-z0-9-]{0,99}$/;

/**
 * The demo's webhook sink, its inbox page and the same as JSON. Only in the demo: the sink is open to
 * anyone, as a receiver on the internet would be, and keeps what it is sent in memory, bounded.
 */
export function demoInboxRoutes(inbox: DemoInbox, estate: () => Estate | undefined): Router {
  const router = Router();

  router.post('/demo/inbox/webhook/:channel', allow(anyone), jsonBody(WEBHOOK_BODY), (req, res) => {
    const channel = String(req.params.channel);
    const body = req.body as unknown;
    const alert = (body as { alert?: { title?: unknown } } | null)?.alert;
    inbox.add({
      kind: 'webhook',
      channel: CHANNEL.test(channel) ? channel : 'unknown',
      title: typeof alert?.title === 'string' ? alert.title : '(not a Vantage message)',
      idempotencyKey: req.get('idempotency-key') ?? null,
      json: body,
    });
    res.status(204).end();
  });

  // Holds no data: anyone may load it, as the dashboard's own styles.
  router.get(INBOX_CSS_PATH, allow(anyone), (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(INBOX_CSS);
  });

  // What the page shows, for a script (and the demo's own tests): newest first, as received.
  router.get('/api/v1/demo/inbox', allow(read), (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ items: inbox.messages() });
  });

  // An email's HTML for the page's frame, with its own policy (page.ts).
  router.get('/demo/inbox/email/:id', allow({ kind: 'page' }), (req, res) => {
    const id = String(req.params.id);
    const message = /^[1-9][0-9]{0,9}$/.test(id) ? inbox.message(Number(id)) : undefined;
    if (message?.kind !== 'email' || message.html === null)
      throw new ApiError('not_found', `no email with HTML in the demo inbox has id '${id}'`);
    res
      .set({
        'Content-Security-Policy': EMAIL_CSP,
        'X-Frame-Options': 'SAMEORIGIN',
        'Cache-Control': 'no-store',
      })
      .type('html')
      .send(message.html);
  });

  router.get('/demo/inbox', allow({ kind: 'page' }), (_req, res) => {
    res
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(inboxPage(inbox.messages(), estate()?.channels ?? []).value);
  });

  return router;
}
