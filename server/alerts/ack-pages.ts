import type { IncidentRow } from '../store/incidents.js';
import { layout } from '../survey-form/components.js';
import { type Html, html } from '../survey-form/html.js';

const SERVICE = 'Vantage';
const FOOTER = html`<p class="nhsuk-body-s">Vantage: alerts to the organisation responsible.</p>`;

function page(title: string, body: Html): Html {
  return layout({ title: `${title} – ${SERVICE}`, service: SERVICE, footer: FOOTER, body });
}

/** The link's confirm page: a GET never acknowledges (mail scanners follow links), the button does. */
export function confirmPage(incident: IncidentRow, token: string, csrf: Html): Html {
  return page(
    'Acknowledge this alert',
    html`<h1 class="nhsuk-heading-xl">Acknowledge this alert</h1>
<p class="nhsuk-body" data-testid="alert-title">${incident.title}</p>
<p class="nhsuk-body">Acknowledging tells everyone who receives this alert that someone is dealing with it.</p>
<form method="post" action="/alerts/${incident.id}/ack" novalidate>
${csrf}<input type="hidden" name="token" value="${token}">
<button class="nhsuk-button" type="submit">Acknowledge</button>
</form>`,
  );
}

export function acknowledgedPage(incident: IncidentRow): Html {
  return page(
    'Alert acknowledged',
    html`<h1 class="nhsuk-heading-xl">Alert acknowledged</h1>
<p class="nhsuk-body" data-testid="alert-title">${incident.title}</p>
<p class="nhsuk-body">Acknowledged by ${incident.acknowledgedBy ?? 'a signed link'}.</p>`,
  );
}

/** Why a link cannot acknowledge, in words, with what to do instead. */
export function refusedPage(title: string, message: string): Html {
  return page(
    title,
    html`<h1 class="nhsuk-heading-xl">${title}</h1>
<p class="nhsuk-body">${message}</p>
<p class="nhsuk-body">You can sign in to Vantage and acknowledge it from the Alerts page.</p>`,
  );
}
