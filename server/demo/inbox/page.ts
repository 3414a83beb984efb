import type { Channel } from '../../config/schema.js';
import { layout } from '../../survey-form/components.js';
import { type Html, html } from '../../survey-form/html.js';
import type { InboxMessage } from './inbox.js';

export const INBOX_CSS_PATH = '/demo/inbox/inbox.css';
/** Long lines (JSON, keys, addresses) wrap inside the page rather than widen it on a phone. */
export const INBOX_CSS = `.vantage-inbox-text { white-space: pre-wrap; overflow-wrap: anywhere; max-width: 100%; }
.nhsuk-summary-list__value { overflow-wrap: anywhere; }
.vantage-inbox-html { border: 1px solid #d8dde0; max-width: 100%; background: #fff; }
`;

const when = (ms: number) =>
  new Date(ms).toLocaleString('en-GB', {
    timeZone: 'Europe/London',
    dateStyle: 'medium',
    timeStyle: 'medium',
  });

/** Where an email's HTML is served on its own, for the inbox page's frame. */
export const emailHtmlPath = (id: number) => `/demo/inbox/email/${id}`;

/**
 * An email's HTML answers with a policy of its own: its inline styles apply, as in a mail client (the
 * page's policy, which a `srcdoc` frame would inherit, refuses them), and nothing else loads or runs;
 * `sandbox` gives it an origin of its own even when opened outside the frame.
 */
export const EMAIL_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox";

/**
 * The demo inbox: what the demo's receivers took, newest first. An email's HTML is shown in a
 * sandboxed frame (no scripts, no forms, its own origin) from its own address, never put into this page.
 */
export function inboxPage(messages: readonly InboxMessage[], channels: readonly Channel[]): Html {
  return layout({
    title: 'Demo inbox – Vantage',
    service: 'Vantage',
    stylesheet: INBOX_CSS_PATH,
    footer: html`<p class="nhsuk-body-s"><a href="/">Back to the dashboard</a></p>`,
    body: html`<div class="nhsuk-warning-callout" data-testid="demo-only">
<h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Demo only</span></h2>
<p>These messages never left this server. In the demo, the estate's email channels send to a mail server inside Vantage and its webhook channel posts back to Vantage itself; both keep the last few hundred messages here, in memory, until the demo stops. Send one with <a href="/notifications">Send a test message</a>; alerts will arrive here too.</p>
</div>
<h1 class="nhsuk-heading-xl">Demo inbox</h1>
<p class="nhsuk-body"><a href="/demo/inbox">Reload</a> to see messages that arrived since.</p>
${messages.length === 0 ? html`<p class="nhsuk-body" data-testid="inbox-empty">Nothing has arrived yet.</p>` : ''}
<ol class="nhsuk-list" data-testid="inbox">${messages.map((m) => item(m, channels))}</ol>`,
  });
}

function item(message: InboxMessage, channels: readonly Channel[]): Html {
  if (message.kind === 'email') {
    const names = channels
      .filter((c) => c.type === 'email' && c.to.some((to) => message.to.includes(to)))
      .map((c) => c.id);
    return html`<li class="nhsuk-card" data-testid="inbox-email">
<div class="nhsuk-card__content">
<h2 class="nhsuk-card__heading nhsuk-heading-m">${message.subject || '(no subject)'}</h2>
<dl class="nhsuk-summary-list">
${row('Channel', `${names.join(', ') || 'not in the estate'} (email)`)}
${row('To', message.to.join(', '))}
${row('From', message.from)}
${row('Received (London time)', when(message.receivedAt))}
</dl>
${message.text !== null ? html`<h3 class="nhsuk-heading-s">Plain text</h3><pre class="vantage-inbox-text" tabindex="0">${message.text}</pre>` : ''}
${
  message.html !== null
    ? html`<h3 class="nhsuk-heading-s">HTML</h3>
<iframe class="vantage-inbox-html" width="100%" height="480" sandbox="" referrerpolicy="no-referrer" title="The email as HTML: ${message.subject}" src="${emailHtmlPath(message.id)}"></iframe>`
    : ''
}
</div></li>`;
  }
  return html`<li class="nhsuk-card" data-testid="inbox-webhook">
<div class="nhsuk-card__content">
<h2 class="nhsuk-card__heading nhsuk-heading-m">${message.title}</h2>
<dl class="nhsuk-summary-list">
${row('Channel', `${message.channel} (webhook)`)}
${row('Idempotency-Key', message.idempotencyKey ?? 'none')}
${row('Received (London time)', when(message.receivedAt))}
</dl>
<h3 class="nhsuk-heading-s">JSON</h3>
<pre class="vantage-inbox-text" tabindex="0">${JSON.stringify(message.json, null, 2)}</pre>
</div></li>`;
}

function row(key: string, value: string): Html {
  return html`<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${key}</dt><dd class="nhsuk-summary-list__value">${value}</dd></div>`;
}
