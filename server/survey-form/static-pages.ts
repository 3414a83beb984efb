import type { CampaignState } from '../../surveys/campaign.js';
import type { Survey } from '../config/schema.js';
import { layout } from './components.js';
import { type Html, html } from './html.js';
import type { FormContext } from './pages.js';

/** Minutes to allow: SUS takes about 3, UMUX-Lite about 1, the site questions about 3. */
function minutes(survey: Survey): number {
  return (
    3 + Object.values(survey.systems).reduce((sum, instrument) => sum + (instrument === 'sus' ? 3 : 1), 0)
  );
}

/** The campaign's first page: what it is for, how long it takes, and how answers are kept safe. */
export function startPage(
  { survey, minGroupSize }: Pick<FormContext, 'survey' | 'minGroupSize'>,
  state: CampaignState,
): Html {
  const open = state.state === 'open';
  return layout({
    title: `${open ? 'Start' : state.state === 'closed' ? 'Closed' : 'Not open yet'} – ${survey.title}`,
    body: html`<h1 class="nhsuk-heading-xl">${survey.title}</h1>
<p class="nhsuk-body-l">Tell us how easy the IT systems you use at work are to use, and how well IT works where you work.</p>
<p class="nhsuk-body">The results show which systems and sites need the most help, so that IT teams can fix what gets in your way first.</p>
${
  open
    ? html`<h2 class="nhsuk-heading-m">Before you start</h2>
<ul class="nhsuk-list nhsuk-list--bullet">
<li>It takes about ${minutes(survey)} minutes.</li>
<li>It is anonymous: we do not ask your name, we do not store your IP address, and we record the date only to the day.</li>
<li>Results are only shown for groups of at least ${String(minGroupSize)} people.</li>
<li>Your answers are not saved until you send them at the end. If you lose your connection, reload the page and your answers will still be there.</li>
</ul>
<p class="nhsuk-body">${state.message}</p>
<a href="/survey/${survey.id}/about-you" role="button" draggable="false" class="nhsuk-button nhsuk-button--start" data-testid="start">Start now</a>`
    : html`<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span><p data-testid="campaign-state">${state.message}</p></div>`
}`,
  });
}

export function thankYouPage(survey: Survey): Html {
  return layout({
    title: `Thank you – ${survey.title}`,
    body: html`<div class="nhsuk-card nhsuk-card--feature nhsuk-u-margin-top-6">
<div class="nhsuk-card__content nhsuk-card__content--feature">
<h1 class="nhsuk-card__heading nhsuk-card__heading--feature nhsuk-heading-l">Thank you</h1>
<p class="nhsuk-card__description">Your answers to ${survey.title} were received.</p>
</div></div>
<p class="nhsuk-body">You can close this page. Nothing that identifies you was stored with your answers.</p>`,
  });
}

export function notFoundPage(): Html {
  return layout({
    title: 'Page not found – Staff IT survey',
    body: html`<h1 class="nhsuk-heading-xl">Page not found</h1>
<p class="nhsuk-body">If you typed the web address, check it is correct.</p>
<p class="nhsuk-body">If you pasted the web address, check you copied the entire address.</p>
<p class="nhsuk-body">If the address is right, the survey may have been removed: ask whoever sent you the link.</p>`,
  });
}

/** For a page too large to read: a comment pasted far past its limit, most likely. */
export function tooLongPage(): Html {
  return layout({
    title: 'Your answers are too long to send – Staff IT survey',
    body: html`<h1 class="nhsuk-heading-xl">Your answers are too long to send</h1>
<p class="nhsuk-body">Your comment can be up to 1,000 characters.</p>
<p class="nhsuk-body">Use your browser’s Back button to return to your answers, shorten your comment, then continue. Nothing has been sent yet.</p>`,
  });
}
