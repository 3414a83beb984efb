import type { Estate } from '../config/schema.js';
import type { IncidentRow } from '../store/incidents.js';
import { type Html, html } from '../survey-form/html.js';
import { sinceText } from './wording.js';

/** How an acknowledgement posted from the page without scripts went: `?ack=` on the page it returns to. */
export const ACK_OUTCOMES = {
  ok: 'You acknowledged this alert. Everyone who receives it is told someone is dealing with it.',
  already: 'Someone else acknowledged this alert first.',
  resolved: 'This alert has resolved, so there is nothing to acknowledge.',
} as const;
export type AckOutcome = keyof typeof ACK_OUTCOMES;

export const isAckOutcome = (value: unknown): value is AckOutcome =>
  typeof value === 'string' && Object.hasOwn(ACK_OUTCOMES, value);

export interface NoScriptIncident {
  incident: IncidentRow | undefined;
  id: string;
  estate: Estate | undefined;
  now: number;
  /** The session's CSRF value when the caller may acknowledge it (and it is open), else undefined. */
  ackCsrf: string | undefined;
  outcome: AckOutcome | undefined;
}

/**
 * The incident page for a browser without scripts: whose and since when, and the Acknowledge button as
 * a plain form posted to the API with the session's CSRF value (the API answers it with a 303 back here).
 * Inside `<noscript>`, so a browser running the dashboard's scripts shows its full page instead.
 */
export function incidentNoScript(page: NoScriptIncident): Html {
  const { incident, estate, now } = page;
  if (!incident)
    return html`<noscript><h1 class="nhsuk-heading-xl">No such alert</h1>
<p class="nhsuk-body" data-testid="noscript-missing">There is no alert ${page.id}.</p>
<p class="nhsuk-body"><a href="/alerts">All alerts</a></p></noscript>`;
  const organisation = estate?.organisations.find((o) => o.id === incident.organisation)?.name;
  const subject =
    incident.subject.kind === 'system'
      ? estate?.systems.find((s) => s.id === incident.subject.id)?.name
      : estate?.sites.find((s) => s.id === incident.subject.id)?.name;
  const why =
    incident.role === 'owner'
      ? `the owner of ${subject ?? incident.subject.id}`
      : `the host of ${subject ?? incident.subject.id}`;
  const state =
    incident.resolvedAt !== null
      ? `Resolved ${sinceText(incident.resolvedAt, now)}`
      : incident.acknowledgedAt !== null
        ? `Acknowledged by ${incident.acknowledgedBy ?? 'someone'} ${sinceText(incident.acknowledgedAt, now)}`
        : 'Open';
  const row = (key: string, value: string) =>
    html`<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${key}</dt><dd class="nhsuk-summary-list__value">${value}</dd></div>`;
  const outcome = page.outcome
    ? html`<div class="nhsuk-inset-text" role="status" data-testid="ack-outcome"><p>${ACK_OUTCOMES[page.outcome]}</p></div>`
    : '';
  const form =
    page.ackCsrf !== undefined
      ? html`<form method="post" action="/api/v1/alerts/${incident.id}/ack" novalidate>
<input type="hidden" name="_csrf" value="${page.ackCsrf}">
<button class="nhsuk-button" type="submit">Acknowledge</button>
</form>`
      : '';
  return html`<noscript><div data-testid="incident-noscript">
<span class="nhsuk-caption-l">Alert ${incident.id}</span>
<h1 class="nhsuk-heading-l">${incident.title}</h1>
${outcome}
<dl class="nhsuk-summary-list">
${row('State', state)}
${row('Responsible', `${organisation ?? incident.organisation}, ${why}`)}
${row('Began', `${sinceText(incident.startedAt, now)} (London time)`)}
${row('Severity', incident.severity)}
</dl>
${form}
<p class="nhsuk-body">Its evidence and timeline are shown with JavaScript on. <a href="/alerts">All alerts</a></p>
</div></noscript>`;
}

/** The dashboard's page with `noscript` where its scripts would draw (in place of "Loading…"). */
export function withNoScript(shell: string, noscript: Html): string {
  const loading = /<p[^>]*\bid="loading"[^>]*>[^<]*<\/p>/;
  if (loading.test(shell)) return shell.replace(loading, () => noscript.value);
  const end = shell.lastIndexOf('</body>');
  return end < 0 ? shell + noscript.value : shell.slice(0, end) + noscript.value + shell.slice(end);
}
