import { getJson } from '../api.js';
import { h } from '../dom.js';
import { londonTime } from '../format.js';
import { responsiveTable } from '../table.js';
import type { AuditEntryView, AuditResponse, MeResponse } from '../types.js';
import { notForYou } from './not-for-you.js';

const PAGE = 50;

/** What happened, in a line: the detail's fields as `name: value`. */
function detailText(detail: AuditEntryView['detail']): string {
  if (!detail) return '';
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('; ');
}

function filterField(name: string, label: string, value: string, hint: string): HTMLElement {
  return h(
    'div',
    { class: 'nhsuk-form-group vantage-filter' },
    h('label', { class: 'nhsuk-label', for: `audit-${name}` }, label),
    h('div', { class: 'nhsuk-hint', id: `audit-${name}-hint` }, hint),
    h('input', {
      class: 'nhsuk-input',
      id: `audit-${name}`,
      name,
      type: 'text',
      value,
      'aria-describedby': `audit-${name}-hint`,
      autocomplete: 'off',
      spellcheck: false,
    }),
  );
}

/** The audit log, for admins: who did what, when and from where, newest first, filtered and paged. */
export async function auditPage(main: HTMLElement, _id: string, me: MeResponse | undefined): Promise<string> {
  if (!me?.can.admin) return notForYou(main, 'Audit log');
  const params = new URLSearchParams(location.search);
  const action = params.get('action') ?? '';
  const actor = params.get('actor') ?? '';
  const before = params.get('before') ?? '';
  const query = new URLSearchParams({ limit: String(PAGE) });
  if (action) query.set('action', action);
  if (actor) query.set('actor', actor);
  if (before) query.set('before', before);
  const log = await getJson<AuditResponse>(`/api/v1/audit?${query}`);

  const older = new URLSearchParams(query);
  older.delete('limit');
  if (log.next !== undefined) older.set('before', String(log.next));
  main.replaceChildren(
    h('h1', {}, 'Audit log'),
    h(
      'p',
      { class: 'nhsuk-lede-text' },
      'Every sign-in, failed sign-in, change of user, role or API token, and note, with who, when and from where.',
    ),
    h(
      'form',
      { method: 'get', action: '/audit', class: 'vantage-filters', role: 'search' },
      filterField('action', 'What', action, 'Such as sign-in, role-changed or note-added'),
      filterField('actor', 'Who', actor, 'An email address, or token: and the token’s id'),
      h('button', { class: 'nhsuk-button nhsuk-button--secondary', type: 'submit' }, 'Filter'),
    ),
    log.items.length === 0
      ? h('p', { class: 'nhsuk-body', 'data-testid': 'audit-empty' }, 'Nothing in the audit log matches.')
      : responsiveTable(
          before ? 'Older entries' : 'Newest first',
          ['When', 'Who', 'What', 'Subject', 'From where'],
          log.items.map((entry) => [
            londonTime(entry.at),
            entry.actor,
            h(
              'span',
              {},
              h('strong', {}, entry.action),
              entry.detail ? h('span', { class: 'vantage-note' }, detailText(entry.detail)) : '',
            ),
            entry.subject ?? '—',
            entry.address ?? '—',
          ]),
        ),
    h(
      'p',
      { class: 'nhsuk-body' },
      log.next !== undefined
        ? h('a', { href: `/audit?${older}`, 'data-testid': 'audit-older' }, 'Older entries')
        : '',
      before ? [log.next !== undefined ? ' · ' : '', h('a', { href: '/audit' }, 'Newest entries')] : '',
    ),
  );
  return 'Audit log';
}
