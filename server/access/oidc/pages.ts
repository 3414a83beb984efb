import type { Response } from 'express';
import { type Html, html } from '../../survey-form/html.js';
import { CLAIMS_READ } from './grants.js';

/** A plain page (the NHS stylesheet, no script) for what a sign-in with the identity provider ends in. */
function page(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – Vantage</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/survey/assets/nhsuk.css">
</head>
<body>
<header class="nhsuk-header"><div class="nhsuk-header__container nhsuk-width-container">
<div class="nhsuk-header__service"><span class="nhsuk-header__service-name">Vantage</span></div>
</div></header>
<div class="nhsuk-width-container"><main class="nhsuk-main-wrapper" id="maincontent">
<h1 class="nhsuk-heading-l">${title}</h1>
${body}
</main></div>
</body>
</html>`.value;
}

export function sendPage(res: Response, status: number, title: string, body: Html): void {
  res.status(status).set('Cache-Control', 'no-store').type('html').send(page(title, body));
}

const again = (next: string) =>
  html`<p class="nhsuk-body"><a class="nhsuk-link" href="/auth/oidc?next=${encodeURIComponent(next)}" data-testid="sign-in-again">Sign in again</a></p>`;

export function notConfigured(res: Response): void {
  sendPage(
    res,
    404,
    'Sign-in with an identity provider is not set up',
    html`<p class="nhsuk-body">This Vantage server has no <code>access.oidc</code> in its estate file, so it does not offer sign-in through an organisation's identity provider. Sign in with a Vantage account instead, or ask the central informatics team.</p>`,
  );
}

export function unreachable(res: Response, label: string, next: string): void {
  sendPage(
    res,
    503,
    'The sign-in service cannot be reached',
    html`<p class="nhsuk-body">The sign-in service (${label}) cannot be reached from Vantage just now, so you cannot sign in with it. Nothing has been changed. Try again in a few minutes; if it goes on, tell the central informatics team.</p>${again(next)}`,
  );
}

export function providerFailed(res: Response, label: string, next: string): void {
  sendPage(
    res,
    502,
    'The sign-in service gave an answer Vantage cannot use',
    html`<p class="nhsuk-body">The sign-in service (${label}) answered, but not as Vantage expects, so you are not signed in. The server log has the details for the central informatics team.</p>${again(next)}`,
  );
}

export function notPending(res: Response): void {
  sendPage(
    res,
    400,
    'This sign-in has expired or was already used',
    html`<p class="nhsuk-body">Vantage has no sign-in under way for this browser: it took longer than 10 minutes, it was already finished, or the browser did not keep Vantage's cookie. You are not signed in.</p>${again('/')}`,
  );
}

export function mismatch(res: Response, next: string): void {
  sendPage(
    res,
    400,
    'This sign-in could not be checked',
    html`<p class="nhsuk-body">The answer from the sign-in service does not belong to the sign-in this browser started (its state or nonce did not match), so it was refused. You are not signed in.</p>${again(next)}`,
  );
}

export function refusedByProvider(res: Response, detail: string, next: string): void {
  sendPage(
    res,
    400,
    'The sign-in service did not sign you in',
    html`<p class="nhsuk-body">The sign-in service ended the sign-in without signing you in (${detail}). You are not signed in to Vantage.</p>${again(next)}`,
  );
}

/** Signed in at the provider, but no claim maps to a role: nothing is stored for them. */
export function noRole(
  res: Response,
  options: { label: string; email?: string; groupsOverage: boolean },
): void {
  sendPage(
    res,
    403,
    'You have no Vantage role',
    html`<p class="nhsuk-body" data-testid="no-role">You signed in with ${options.label}${options.email ? html` as <strong>${options.email}</strong>` : ''}, but your account has no Vantage role, so Vantage has not signed you in and has kept nothing about you.</p>
<p class="nhsuk-body">Vantage read these claims from the sign-in service: ${CLAIMS_READ.join(', ')}. None of their values is one the estate file's <code>access.oidc</code> grants a role for.</p>
${options.groupsOverage ? html`<p class="nhsuk-body">Your account is in more groups than the sign-in service lists in a token, so your groups could not be read: a role is better given as an app role.</p>` : ''}
<p class="nhsuk-body">Ask your organisation's IT administrators to assign you one of Vantage's app roles (<code>Vantage.Viewer</code>, <code>Vantage.Partner.&lt;organisation&gt;</code> or <code>Vantage.Admin</code>) in the identity provider, or ask the central informatics team who run Vantage.</p>`,
  );
}

export function noEmail(res: Response, label: string): void {
  sendPage(
    res,
    403,
    'Your account has no email address',
    html`<p class="nhsuk-body">You signed in with ${label}, but it did not say who you are by email (${CLAIMS_READ.slice(2).join(', ')} were all missing), which Vantage needs to know you by. You are not signed in. Ask your organisation's IT administrators to include the email claim.</p>`,
  );
}

export function localAccountExists(res: Response, email: string, label: string): void {
  sendPage(
    res,
    409,
    'A Vantage account already has this email',
    html`<p class="nhsuk-body">${email} is a Vantage account with its own password, so it cannot also be signed in with ${label}. Sign in with that account's password, or ask an administrator to remove it (<code>vantage user remove ${email}</code>) so that you sign in with ${label} from now on.</p>`,
  );
}
