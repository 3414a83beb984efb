import { ApiFailure, sendJson } from './api.js';
import { h } from './dom.js';
import type { EstateView, MeResponse } from './types.js';

function field(id: string, label: string, hint: string, input: HTMLInputElement): HTMLElement {
  input.setAttribute('aria-describedby', `${id}-hint`);
  return h(
    'div',
    { class: 'nhsuk-form-group' },
    h('label', { class: 'nhsuk-label', for: id }, label),
    h('div', { class: 'nhsuk-hint', id: `${id}-hint` }, hint),
    input,
  );
}

function choices(name: string, legend: string, options: { id: string; name: string }[]): HTMLElement {
  if (options.length === 0) return h('span', {});
  return h(
    'div',
    { class: 'nhsuk-form-group' },
    h(
      'fieldset',
      { class: 'nhsuk-fieldset' },
      h('legend', { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--s' }, legend),
      h(
        'div',
        { class: 'nhsuk-checkboxes nhsuk-checkboxes--small' },
        ...options.map((o) =>
          h(
            'div',
            { class: 'nhsuk-checkboxes__item' },
            h('input', {
              class: 'nhsuk-checkboxes__input',
              id: `${name}-${o.id}`,
              name,
              type: 'checkbox',
              value: o.id,
            }),
            h('label', { class: 'nhsuk-label nhsuk-checkboxes__label', for: `${name}-${o.id}` }, o.name),
          ),
        ),
      ),
    ),
  );
}

/**
 * A form to add an ad hoc window, offering the systems and sites the signed-in person may plan work on
 * (an admin: all; a partner: its organisations' own). The server judges the window again, and its
 * refusal is shown in its own words.
 */
export function addWindowForm(me: MeResponse, estate: EstateView, added: () => Promise<void>): HTMLElement {
  const mayAct = (list: string[], id: string) => me.can.admin || list.includes(id);
  const systems = estate.systems.filter((s) => !s.retiredAt && mayAct(me.can.actOn.systems, s.id));
  const sites = estate.sites.filter((s) => !s.retiredAt && mayAct(me.can.actOn.sites, s.id));
  const title = h('input', { class: 'nhsuk-input', id: 'window-title', name: 'title', type: 'text' });
  const start = h('input', {
    class: 'nhsuk-input nhsuk-input--width-20',
    id: 'window-start',
    type: 'datetime-local',
  });
  const end = h('input', {
    class: 'nhsuk-input nhsuk-input--width-20',
    id: 'window-end',
    type: 'datetime-local',
  });
  // The server's refusal goes here; what was typed stays in the form.
  const problem = h('div', {});
  const form = h(
    'form',
    { 'data-testid': 'window-form', novalidate: true },
    problem,
    field('window-title', 'What is the work', 'Staff and partners read it beside the figures.', title),
    field('window-start', 'Starts (London time)', 'Day and time, such as 6 December 2026 at 22:00.', start),
    field('window-end', 'Ends (London time)', 'At most 7 days after it starts.', end),
    choices('systems', 'Systems it covers', systems),
    choices('sites', 'Sites it covers', sites),
    h('button', { class: 'nhsuk-button', type: 'submit' }, 'Add window'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const ticked = (name: string) =>
      [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((i) => i.value);
    const scope = { systems: ticked('systems'), sites: ticked('sites') };
    const body = {
      title: title.value,
      start: start.value,
      end: end.value,
      scope: Object.fromEntries(Object.entries(scope).filter(([, ids]) => ids.length > 0)),
    };
    void (async () => {
      try {
        await sendJson(me, 'POST', '/api/v1/maintenance', body);
        await added();
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 401) return;
        const message = error instanceof Error ? error.message : 'The window could not be added.';
        const summary = h(
          'div',
          { class: 'nhsuk-error-summary', role: 'alert', tabindex: -1 },
          h('h3', { class: 'nhsuk-error-summary__title' }, 'The window could not be added'),
          h('div', { class: 'nhsuk-error-summary__body' }, h('p', {}, message)),
        );
        problem.replaceChildren(summary);
        summary.focus();
      }
    })();
  });
  return form;
}
