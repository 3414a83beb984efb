import { ApiFailure, getJson, sendJson } from '../api.js';
import { PHASE_NAMES } from '../charts.js';
import { h, listInWords, plural } from '../dom.js';
import { type EstateNames, estateNames } from '../estate-names.js';
import { londonTime, ms } from '../format.js';
import {
  acknowledgedText,
  backlogText,
  incidentStateTag,
  marks,
  severityTag,
  sinceText,
  whoseText,
  whyText,
} from '../incident-words.js';
import { responsiveTable } from '../table.js';
import type { EstateView, IncidentView, MeResponse } from '../types.js';
import { REFRESH_SECONDS, refreshWhileShown } from './alerts.js';
import { timelineTable } from './incident-timeline.js';

/**
 * One incident: whose and why, since when, its evidence and its whole timeline; acknowledged from here
 * by those who may, and refreshed while it is open.
 */
export async function incidentPage(
  main: HTMLElement,
  id: string,
  me: MeResponse | undefined,
): Promise<string> {
  const path = `/api/v1/alerts/${encodeURIComponent(id)}`;
  const [estate, first] = await Promise.all([
    getJson<EstateView>('/api/v1/estate'),
    getJson<IncidentView>(path),
  ]);
  const names = estateNames(estate);
  const systemOf = new Map(estate.checks.map((c) => [c.id, c.system]));
  const body = h('div', {});
  const updated = h('p', {
    class: 'nhsuk-body-s vantage-note',
    'data-testid': 'updated',
    'aria-live': 'polite',
  });
  let incident = first;

  const acknowledge = async (): Promise<void> => {
    try {
      incident = await sendJson<IncidentView>(me, 'POST', `${path}/ack`);
      draw({ done: `Acknowledged: ${incident.title}.` });
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) return;
      const problem =
        error instanceof ApiFailure && error.status === 403
          ? `You may not acknowledge this alert: ${error.message}.`
          : error instanceof Error
            ? error.message
            : 'The alert could not be acknowledged.';
      draw({ problem });
      body.querySelector<HTMLElement>('.nhsuk-error-summary')?.focus();
    }
  };
  const draw = (said: { done?: string; problem?: string } = {}) => {
    const now = Date.now();
    body.replaceChildren(
      h('span', { class: 'nhsuk-caption-l' }, 'Alert'),
      h('h1', { 'data-testid': 'incident-title' }, incident.title),
      h(
        'p',
        { class: 'nhsuk-body', 'data-testid': 'incident-tags' },
        severityTag(incident.severity),
        ' ',
        incidentStateTag(incident.state),
        ...marks(incident).flatMap((m) => [' ', m]),
      ),
      said.problem
        ? h(
            'div',
            { class: 'nhsuk-error-summary', role: 'alert', tabindex: -1 },
            h('h2', { class: 'nhsuk-error-summary__title' }, 'The alert could not be acknowledged'),
            h(
              'div',
              { class: 'nhsuk-error-summary__body' },
              h('p', { 'data-testid': 'ack-problem' }, said.problem),
            ),
          )
        : '',
      said.done ? h('p', { class: 'nhsuk-body', role: 'status', 'data-testid': 'ack-done' }, said.done) : '',
      facts(incident, names, now),
      ackForm(incident, me, acknowledge),
      h('h2', { id: 'evidence' }, 'Evidence'),
      evidence(incident, names, systemOf),
      h('h2', { id: 'timeline' }, 'Timeline'),
      timelineTable(incident, names),
    );
  };
  draw();
  main.replaceChildren(body, updated);
  if (incident.state !== 'resolved') {
    updated.textContent = `Checked again every ${plural(REFRESH_SECONDS, 'second')} while open.`;
    refreshWhileShown(
      body,
      async () => {
        if (incident.state === 'resolved') return;
        incident = await getJson<IncidentView>(path);
        draw();
        updated.textContent = `Updated at ${londonTime(Date.now())} (London time).`;
      },
      updated,
    );
  }
  return incident.title;
}

function facts(incident: IncidentView, names: EstateNames, now: number): HTMLElement {
  const row = (key: string, value: Node | string) =>
    h(
      'div',
      { class: 'nhsuk-summary-list__row' },
      h('dt', { class: 'nhsuk-summary-list__key' }, key),
      h('dd', { class: 'nhsuk-summary-list__value' }, value),
    );
  const backlog = backlogText(incident);
  return h(
    'dl',
    { class: 'nhsuk-summary-list', 'data-testid': 'incident-facts' },
    row('Whose', whoseText(incident, names)),
    row('Why theirs', whyText(incident)),
    row(incident.resolvedAt ? 'When (London time)' : 'Since (London time)', sinceText(incident, now)),
    row('Acknowledged', acknowledgedText(incident)),
    backlog ? row('From a backlog', backlog) : '',
    incident.inMaintenance
      ? row('Maintenance', 'Opened inside a maintenance window: nobody was told, nor of its end.')
      : '',
  );
}

/** Offered to admins and partners of the organisation responsible, while it can still be acknowledged. */
function ackForm(incident: IncidentView, me: MeResponse | undefined, acknowledge: () => Promise<void>) {
  const mayAct =
    me?.can.admin || (me?.role === 'partner' && me.organisations.includes(incident.responsible.organisation));
  if (incident.state !== 'open' || !mayAct) return '';
  // A real form with the session's CSRF value; the script sends it as the API call the server checks.
  const form = h(
    'form',
    {
      method: 'post',
      action: `/api/v1/alerts/${encodeURIComponent(incident.id)}/ack`,
      'data-testid': 'ack-form',
    },
    h('input', { type: 'hidden', name: '_csrf', value: me?.csrf ?? '' }),
    h(
      'p',
      { class: 'nhsuk-body' },
      'Acknowledging tells everyone who receives this alert that someone is dealing with it.',
    ),
    h('button', { class: 'nhsuk-button', type: 'submit' }, 'Acknowledge'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void acknowledge();
  });
  return form;
}

function evidence(incident: IncidentView, names: EstateNames, systemOf: Map<string, string>): HTMLElement {
  const systems = [...new Set(incident.checks.map((c) => systemOf.get(c)).filter((s) => s !== undefined))];
  const first = incident.evidence.firstFailure;
  const row = (key: string, value: Node | string | (Node | string)[]) =>
    h(
      'div',
      { class: 'nhsuk-summary-list__row' },
      h('dt', { class: 'nhsuk-summary-list__key' }, key),
      h('dd', { class: 'nhsuk-summary-list__value' }, value),
    );
  const links = (items: (Node | string)[]) => items.flatMap((item, i) => (i > 0 ? [', ', item] : [item]));
  const phases = incident.evidence.phases;
  return h(
    'div',
    {},
    h(
      'dl',
      { class: 'nhsuk-summary-list', 'data-testid': 'incident-evidence' },
      row('Sites', listInWords(incident.sites.map((s) => names.site(s))) || '—'),
      row('Systems', systems.length ? links(systems.map((s) => names.systemLink(s))) : '—'),
      row(
        'Checks',
        incident.checks.length
          ? links(incident.checks.map((c) => h('a', { href: `/checks/${encodeURIComponent(c)}` }, c)))
          : '—',
      ),
      row('Error classes', incident.evidence.errorClasses.join(', ') || '—'),
      first
        ? row('First failing run', [
            h(
              'a',
              { href: `/checks/${encodeURIComponent(first.checkId)}`, 'data-testid': 'first-failure' },
              first.checkId,
            ),
            ` from ${names.site(first.vantagePoint)}, ${londonTime(first.startedAt)}`,
            first.errorClass ? `: ${first.errorClass}` : '',
            first.message ? ` (${first.message})` : '',
          ])
        : '',
      incident.evidence.expiresAt ? row('Certificate expires', londonTime(incident.evidence.expiresAt)) : '',
      incident.evidence.lastHeardAt ? row('Agent last heard', londonTime(incident.evidence.lastHeardAt)) : '',
    ),
    phases
      ? responsiveTable(
          'The first failing run’s phases',
          Object.keys(phases).map((p) => PHASE_NAMES[p] ?? p),
          [Object.values(phases).map((v) => ms(v))],
        )
      : '',
  );
}
