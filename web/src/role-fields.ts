import { h } from './dom.js';
import type { Role } from './types.js';

export interface Organisation {
  id: string;
  name: string;
}

/**
 * A role and, for a partner, its organisations, as form fields. Every organisation is offered; the
 * server says which combinations it takes (a partner needs one, the others none).
 */
export function roleFields(
  prefix: string,
  organisations: Organisation[],
  role: Role = 'viewer',
  chosen: string[] = [],
): HTMLElement[] {
  return [
    h(
      'div',
      { class: 'nhsuk-form-group' },
      h('label', { class: 'nhsuk-label', for: `${prefix}-role` }, 'Role'),
      h(
        'select',
        { class: 'nhsuk-select', id: `${prefix}-role`, name: 'role' },
        ...(['admin', 'partner', 'viewer'] as const).map((value) =>
          h('option', { value, selected: value === role }, ROLE_OPTION[value]),
        ),
      ),
    ),
    h(
      'fieldset',
      { class: 'nhsuk-fieldset vantage-organisations' },
      h(
        'legend',
        { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--s' },
        'Organisations (partners only)',
      ),
      h(
        'div',
        { class: 'nhsuk-checkboxes nhsuk-checkboxes--small' },
        ...organisations.map((org) =>
          h(
            'div',
            { class: 'nhsuk-checkboxes__item' },
            h('input', {
              class: 'nhsuk-checkboxes__input',
              id: `${prefix}-org-${org.id}`,
              name: 'organisations',
              type: 'checkbox',
              value: org.id,
              checked: chosen.includes(org.id),
            }),
            h(
              'label',
              { class: 'nhsuk-label nhsuk-checkboxes__label', for: `${prefix}-org-${org.id}` },
              org.name,
            ),
          ),
        ),
      ),
    ),
  ];
}

const ROLE_OPTION = {
  admin: 'Admin: everything, including users, tokens and settings',
  partner: 'Partner: reads everything, acts for its organisations',
  viewer: 'Viewer: reads everything, acts on nothing',
} as const;

/** The role and organisations a form holds. */
export function roleOf(form: HTMLFormElement): { role: Role; organisations: string[] } {
  const data = new FormData(form);
  return {
    role: String(data.get('role')) as Role,
    organisations: data.getAll('organisations').map(String),
  };
}
