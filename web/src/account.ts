import { signInPath } from './api.js';
import { h, listInWords } from './dom.js';
import type { MeResponse } from './types.js';

const ROLE_WORDS = { admin: 'Admin', partner: 'Partner', viewer: 'Viewer' } as const;

/** The role in words; a partner's organisations by name. */
export function roleText(role: MeResponse['role'], organisations: string[], orgName: (id: string) => string) {
  return role === 'partner' && organisations.length > 0
    ? `${ROLE_WORDS[role]} for ${listInWords(organisations.map(orgName))}`
    : ROLE_WORDS[role];
}

/** Pages for anyone signed in, but not for a visitor of a page open to the public. */
const SIGNED_IN_PAGES = [
  { href: '/reports', text: 'Reports' },
  { href: '/alerts', text: 'Alerts' },
];

/** Pages for admins, and for partners about their own organisations. */
const ADMIN_AND_PARTNER_PAGES = [{ href: '/notifications', text: 'Notifications' }];

/** Pages only admins may open, linked from the header for them alone (the server refuses the rest). */
const ADMIN_PAGES = [
  { href: '/audit', text: 'Audit log' },
  { href: '/access', text: 'Users and tokens' },
];

/**
 * Who is signed in, with their role and a way to sign out, in the header; or a link to sign in when
 * nobody is (a page open to the public).
 */
export function showAccount(me: MeResponse | undefined): void {
  const container = document.querySelector('.nhsuk-header__container');
  if (!container) return;
  container.querySelector('.nhsuk-header__account')?.remove();
  const items: HTMLElement[] = [];
  if (!me) {
    items.push(
      h(
        'li',
        { class: 'nhsuk-header__account-item' },
        h('a', { class: 'nhsuk-header__account-link', href: signInPath() }, 'Sign in'),
      ),
    );
  } else {
    items.push(
      h(
        'li',
        { class: 'nhsuk-header__account-item', 'data-testid': 'signed-in-as' },
        h('span', { class: 'vantage-account__name' }, me.name ?? me.email ?? 'API token'),
        h(
          'span',
          { class: 'vantage-account__role' },
          roleText(me.role, me.organisationNames, (name) => name),
        ),
      ),
    );
    // A form, not a link: signing out changes state, so it is a POST carrying the session's CSRF value.
    if (me.kind === 'user' && me.csrf)
      items.push(
        h(
          'li',
          { class: 'nhsuk-header__account-item' },
          h(
            'form',
            { class: 'nhsuk-header__account-form', method: 'post', action: '/sign-out' },
            h('input', { type: 'hidden', name: '_csrf', value: me.csrf }),
            h('button', { class: 'nhsuk-header__account-button', type: 'submit' }, 'Sign out'),
          ),
        ),
      );
  }
  container.append(
    h(
      'nav',
      { class: 'nhsuk-header__account', 'aria-label': 'Account' },
      h('ul', { class: 'nhsuk-header__account-list' }, ...items),
    ),
  );

  const list = document.querySelector('.nhsuk-header__navigation-list');
  if (!list || !me) return;
  const mayAct = me.can.admin || me.role === 'partner';
  for (const page of [
    ...SIGNED_IN_PAGES,
    ...(mayAct ? ADMIN_AND_PARTNER_PAGES : []),
    ...(me.can.admin ? ADMIN_PAGES : []),
  ]) {
    if (list.querySelector(`a[href="${page.href}"]`)) continue;
    list.append(
      h(
        'li',
        { class: 'nhsuk-header__navigation-item' },
        h('a', { class: 'nhsuk-header__navigation-link', href: page.href }, page.text),
      ),
    );
  }
}
