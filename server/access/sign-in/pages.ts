import { errorSummary, type FieldError, layout } from '../../survey-form/components.js';
import { type Html, html } from '../../survey-form/html.js';
import type { Principal } from '../principal.js';
import type { DemoAccount } from './demo-accounts.js';

const SERVICE = 'Vantage';
const FOOTER = html`<p class="nhsuk-body-s">Vantage: how reliably and how fast staff reach the IT systems they work with.</p>`;

export interface SignInView {
  /** Where to go once signed in: already checked to be a path on this site. */
  next: string;
  csrf: Html;
  /** Who is signed in already, if anyone. */
  principal: Principal;
  /** The session this browser had has ended (idle, too old, signed out elsewhere, or removed). */
  ended: boolean;
  /** `Sign in with …`, when the estate has an identity provider. */
  oidcLabel?: string;
  /** Offered only when the server runs the demo. */
  demoAccounts?: readonly DemoAccount[];
  email?: string;
  errors?: FieldError[];
}

export function signInPage(view: SignInView): Html {
  const errors = view.errors ?? [];
  const next = encodeURIComponent(view.next);
  if (view.principal.kind === 'user') {
    const { name, email, role, organisations } = view.principal;
    return layout({
      title: `You are signed in – ${SERVICE}`,
      service: SERVICE,
      footer: FOOTER,
      body: html`<h1 class="nhsuk-heading-xl">You are signed in</h1>
<p class="nhsuk-body" data-testid="signed-in-as">You are signed in as ${name} (${email}), ${roleText(role, organisations)}.</p>
<a class="nhsuk-button" href="${view.next}" draggable="false">Continue</a>
<form method="post" action="/sign-out" novalidate>
${view.csrf}<button class="nhsuk-button nhsuk-button--secondary" type="submit">Sign out</button>
</form>`,
    });
  }
  const errorOf = (id: string) => errors.find((e) => e.id === id)?.message;
  return layout({
    title: `Sign in – ${SERVICE}`,
    errors: errors.length > 0,
    service: SERVICE,
    footer: FOOTER,
    body: html`${errorSummary(errors)}
<h1 class="nhsuk-heading-xl">Sign in</h1>
${
  view.ended
    ? html`<div class="nhsuk-inset-text" data-testid="session-ended"><span class="nhsuk-u-visually-hidden">Information: </span><p>Your session has ended. Sign in again to carry on.</p></div>`
    : ''
}
${
  view.oidcLabel
    ? html`<a class="nhsuk-button" href="/auth/oidc?next=${next}" draggable="false" data-testid="oidc">Sign in with ${view.oidcLabel}</a>
<h2 class="nhsuk-heading-m">Or sign in with a Vantage account</h2>`
    : ''
}
<form method="post" action="/sign-in" novalidate>
${view.csrf}<input type="hidden" name="next" value="${view.next}">
${input({ id: 'email', label: 'Email address', type: 'email', autocomplete: 'username', value: view.email, error: errorOf('email') })}
${input({ id: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', error: errorOf('password') })}
<button class="nhsuk-button" type="submit">Sign in</button>
</form>
${view.demoAccounts ? demoPanel(view.demoAccounts, view.next, view.csrf) : ''}`,
  });
}

function demoPanel(accounts: readonly DemoAccount[], next: string, csrf: Html): Html {
  return html`<div class="nhsuk-warning-callout" data-testid="demo-accounts">
<h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Demo only</span></h2>
<p class="nhsuk-body">This server is running the demo. These accounts exist only in the demo and need no password; a real Vantage never offers them.</p>
${accounts.map(
  (account) => html`<form method="post" action="/sign-in/demo" novalidate>
${csrf}<input type="hidden" name="next" value="${next}"><input type="hidden" name="account" value="${account.key}">
<button class="nhsuk-button nhsuk-button--secondary" type="submit">Sign in as ${account.title}</button>
</form>`,
)}
</div>`;
}

function input(options: {
  id: string;
  label: string;
  type: string;
  autocomplete: string;
  value?: string | undefined;
  error?: string | undefined;
}): Html {
  const { id, error } = options;
  return html`<div class="nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}">
<label class="nhsuk-label" for="${id}">${options.label}</label>
${error ? html`<span class="nhsuk-error-message" id="${id}-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${error}</span>` : ''}
<input class="nhsuk-input${error ? ' nhsuk-input--error' : ''}" id="${id}" name="${id}" type="${options.type}" autocomplete="${options.autocomplete}" spellcheck="false"${
    options.value ? html` value="${options.value}"` : ''
  }${error ? html` aria-describedby="${id}-error"` : ''}>
</div>`;
}

/** For too many failed attempts: when to try again, in London time. */
export function tooManyPage(seconds: number, until: number, next: string): Html {
  const minutes = Math.ceil(seconds / 60);
  const at = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    minute: '2-digit',
  }).format(until);
  return layout({
    title: `Too many attempts to sign in – ${SERVICE}`,
    service: SERVICE,
    footer: FOOTER,
    body: html`<h1 class="nhsuk-heading-xl">Too many attempts to sign in</h1>
<p class="nhsuk-body" data-testid="try-again">There have been too many attempts to sign in to this account, or from this network. Try again in ${String(minutes)} minute${minutes === 1 ? '' : 's'}, after ${at}.</p>
<p class="nhsuk-body">If you have forgotten your password, ask your Vantage administrator to set a new one.</p>
<p class="nhsuk-body"><a href="/sign-in?next=${encodeURIComponent(next)}">Back to sign in</a></p>`,
  });
}

export function notDemoPage(): Html {
  return layout({
    title: `Page not found – ${SERVICE}`,
    service: SERVICE,
    footer: FOOTER,
    body: html`<h1 class="nhsuk-heading-xl">Page not found</h1>
<p class="nhsuk-body">Demo accounts are offered only when Vantage runs the demo (<code>vantage serve --demo</code>).</p>
<p class="nhsuk-body"><a href="/sign-in">Sign in</a></p>`,
  });
}

function roleText(role: string, organisations: readonly string[]): string {
  if (role === 'partner') return `partner for ${organisations.join(', ')}`;
  return role === 'admin' ? 'administrator' : 'viewer';
}
