import { roleText } from '../account.js';
import { ApiFailure, getJson, sendJson } from '../api.js';
import { h } from '../dom.js';
import { londonTime } from '../format.js';
import { type Organisation, roleFields, roleOf } from '../role-fields.js';
import { responsiveTable } from '../table.js';
import type {
  ApiTokenCreated,
  ApiTokensResponse,
  ApiTokenView,
  EstateView,
  MeResponse,
  UsersResponse,
  UserView,
} from '../types.js';
import { notForYou } from './not-for-you.js';

const SOURCE_WORDS = { local: 'Local account', oidc: 'Identity provider', demo: 'Demo account' } as const;

function problem(error: unknown): HTMLElement {
  return h(
    'div',
    { class: 'nhsuk-error-summary', role: 'alert', tabindex: -1, 'data-testid': 'access-problem' },
    h('h2', { class: 'nhsuk-error-summary__title' }, 'There is a problem'),
    h(
      'div',
      { class: 'nhsuk-error-summary__body' },
      h('p', {}, error instanceof Error ? error.message : 'The change could not be made.'),
    ),
  );
}

/** Users and API tokens, for admins: roles changed, people removed, tokens made and revoked. */
export async function accessPage(
  main: HTMLElement,
  _id: string,
  me: MeResponse | undefined,
): Promise<string> {
  if (!me?.can.admin) return notForYou(main, 'Users and tokens');
  const estate = await getJson<EstateView>('/api/v1/estate');
  const organisations: Organisation[] = estate.organisations.map((o) => ({ id: o.id, name: o.name }));
  const names = new Map(organisations.map((o) => [o.id, o.name]));
  const orgName = (id: string) => names.get(id) ?? id;

  /** Draws the page again from the server's answers, with a notice (a new token, or a problem) on top. */
  const draw = async (notice?: HTMLElement): Promise<void> => {
    const [users, tokens] = await Promise.all([
      getJson<UsersResponse>('/api/v1/users'),
      getJson<ApiTokensResponse>('/api/v1/api-tokens'),
    ]);
    main.replaceChildren(
      h('h1', {}, 'Users and tokens'),
      notice ?? '',
      h('h2', { id: 'users' }, 'Users'),
      h(
        'p',
        { class: 'nhsuk-body' },
        'Changing a role or removing someone signs them out at once. Local accounts are added with vantage user add.',
      ),
      users.items.length === 0
        ? h('p', { class: 'nhsuk-body' }, 'Nobody has signed in yet.')
        : responsiveTable(
            'People who may sign in',
            ['Person', 'Role', 'Account', 'Last signed in', 'Change'],
            users.items.map((user) => [
              h('span', {}, user.name, h('span', { class: 'vantage-note' }, user.email)),
              roleText(user.role, user.organisations, orgName),
              SOURCE_WORDS[user.source],
              user.lastSignInAt ? londonTime(user.lastSignInAt) : 'Never',
              userActions(user),
            ]),
            users.items.map((user) => `user-${user.id}`),
          ),
      h('h2', { id: 'tokens' }, 'API tokens'),
      h(
        'p',
        { class: 'nhsuk-body' },
        'For scripts and scrapers, sent as Authorization: Bearer followed by the token. Vantage keeps only a hash of each.',
      ),
      tokens.items.length === 0
        ? h('p', { class: 'nhsuk-body' }, 'No API tokens yet.')
        : responsiveTable(
            'API tokens',
            ['Token', 'Role', 'Made', 'Last used', 'State'],
            tokens.items.map((token) => [
              h('span', {}, token.label ?? 'No label', h('code', { class: 'vantage-note' }, token.id)),
              roleText(token.role, token.organisations, orgName),
              h(
                'span',
                {},
                londonTime(token.createdAt),
                h('span', { class: 'vantage-note' }, `by ${token.createdBy}`),
              ),
              token.lastUsedAt ? londonTime(token.lastUsedAt) : 'Never',
              tokenState(token),
            ]),
            tokens.items.map((token) => `token-${token.id}`),
          ),
      createForm(),
    );
    notice?.focus();
  };

  /** Runs a change, then draws the page again: with the problem on top if the server refused it. */
  const change = async (work: () => Promise<HTMLElement | undefined>) => {
    try {
      await draw(await work());
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) return;
      await draw(problem(error));
    }
  };

  function userActions(user: UserView): Node | string {
    if (me?.kind === 'user' && user.email === me.email) return 'This is you';
    const form = h(
      'form',
      { class: 'vantage-inline-form', 'data-testid': `role-form-${user.id}` },
      ...roleFields(`user-${user.id}`, organisations, user.role, user.organisations),
      h('button', { class: 'nhsuk-button nhsuk-button--secondary', type: 'submit' }, 'Save role'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void change(async () => {
        await sendJson(me, 'PATCH', `/api/v1/users/${encodeURIComponent(user.id)}`, roleOf(form));
        return undefined;
      });
    });
    const remove = h(
      'button',
      { class: 'nhsuk-button nhsuk-button--warning', type: 'button' },
      `Remove ${user.email}`,
    );
    remove.addEventListener('click', () =>
      change(async () => {
        await sendJson(me, 'DELETE', `/api/v1/users/${encodeURIComponent(user.id)}`);
        return undefined;
      }),
    );
    return h(
      'div',
      {},
      h(
        'details',
        { class: 'nhsuk-details' },
        h(
          'summary',
          { class: 'nhsuk-details__summary' },
          h('span', { class: 'nhsuk-details__summary-text' }, 'Change role'),
        ),
        h('div', { class: 'nhsuk-details__text' }, form),
      ),
      h(
        'details',
        { class: 'nhsuk-details' },
        h(
          'summary',
          { class: 'nhsuk-details__summary' },
          h('span', { class: 'nhsuk-details__summary-text' }, 'Remove'),
        ),
        h(
          'div',
          { class: 'nhsuk-details__text' },
          h('p', {}, 'They are signed out at once and can no longer sign in with this account.'),
          remove,
        ),
      ),
    );
  }

  function tokenState(token: ApiTokenView): Node | string {
    if (token.revokedAt) return `Revoked ${londonTime(token.revokedAt)}`;
    const revoke = h('button', { class: 'nhsuk-button nhsuk-button--secondary', type: 'button' }, 'Revoke');
    revoke.setAttribute('aria-label', `Revoke ${token.label ?? token.id}`);
    revoke.addEventListener('click', () =>
      change(async () => {
        await sendJson(me, 'DELETE', `/api/v1/api-tokens/${encodeURIComponent(token.id)}`);
        return undefined;
      }),
    );
    return h('span', {}, 'Live', h('span', { class: 'vantage-note' }, revoke));
  }

  function createForm(): HTMLElement {
    const form = h(
      'form',
      { class: 'vantage-create-token', 'data-testid': 'create-token' },
      h('h3', {}, 'Make an API token'),
      ...roleFields('new-token', organisations),
      h(
        'div',
        { class: 'nhsuk-form-group' },
        h('label', { class: 'nhsuk-label', for: 'new-token-label' }, 'Label'),
        h(
          'div',
          { class: 'nhsuk-hint', id: 'new-token-label-hint' },
          'What the token is for, such as Grafana',
        ),
        h('input', {
          class: 'nhsuk-input',
          id: 'new-token-label',
          name: 'label',
          type: 'text',
          'aria-describedby': 'new-token-label-hint',
        }),
      ),
      h('button', { class: 'nhsuk-button', type: 'submit' }, 'Make API token'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const label = String(new FormData(form).get('label') ?? '').trim();
      const { role, organisations: chosen } = roleOf(form);
      void change(async () => {
        const made = await sendJson<ApiTokenCreated>(me, 'POST', '/api/v1/api-tokens', {
          role,
          ...(chosen.length > 0 ? { organisations: chosen } : {}),
          ...(label ? { label } : {}),
        });
        return h(
          'div',
          { class: 'nhsuk-inset-text', tabindex: -1, 'data-testid': 'new-token' },
          h('h2', {}, `API token ${made.label ?? made.id} made`),
          h('p', {}, 'Copy it now: Vantage keeps only a hash of it, and cannot show it again.'),
          h('p', {}, h('code', { class: 'vantage-token' }, made.token)),
        );
      });
    });
    return form;
  }

  await draw();
  return 'Users and tokens';
}
