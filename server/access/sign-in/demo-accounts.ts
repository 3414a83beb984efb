import { randomUUID } from 'node:crypto';
import type { Estate } from '../../config/schema.js';
import type { AccessStore, Role, UserRow } from '../../store/access.js';

/** The demo's people: offered on the sign-in page only when the server runs with --demo. */
export interface DemoAccount {
  key: 'cio' | 'partner' | 'viewer';
  /** As the sign-in button says it: `Sign in as …`. */
  title: string;
  email: string;
  name: string;
  role: Role;
  organisations: string[];
}

/**
 * The CIO of the commissioner (admin), the IT team of one trust (partner: the demo estate's acute
 * trust, Riverside, or the estate's first organisation when run with another file), and a board
 * member (viewer). Their addresses are under `.invalid`, which never reaches anyone.
 */
export function demoAccounts(estate: Pick<Estate, 'organisations'>): DemoAccount[] {
  const trust =
    estate.organisations.find((o) => o.id === 'riverside') ??
    estate.organisations.find((o) => o.kind === 'acute') ??
    estate.organisations[0];
  const accounts: DemoAccount[] = [
    {
      key: 'cio',
      title: 'the CIO (admin)',
      email: 'cio@demo.vantage.invalid',
      name: 'Demo CIO',
      role: 'admin',
      organisations: [],
    },
  ];
  if (trust) {
    accounts.push({
      key: 'partner',
      title: `the IT team of ${trust.name} (partner)`,
      email: `it-team@${trust.id}.demo.vantage.invalid`,
      name: `${trust.name} IT team (demo)`,
      role: 'partner',
      organisations: [trust.id],
    });
  }
  accounts.push({
    key: 'viewer',
    title: 'a board member (viewer)',
    email: 'board-member@demo.vantage.invalid',
    name: 'Demo board member',
    role: 'viewer',
    organisations: [],
  });
  return accounts;
}

/** Makes (or puts back as they were) the demo's people: source `demo`, no password. */
export async function putDemoUser(
  store: Pick<AccessStore, 'putUser' | 'userByEmail'>,
  account: DemoAccount,
  now: number,
): Promise<UserRow> {
  const known = await store.userByEmail(account.email);
  return store.putUser({
    id: known?.id ?? randomUUID(),
    email: account.email,
    name: account.name,
    role: account.role,
    organisations: account.organisations,
    source: 'demo',
    passwordHash: null,
    claims: null,
    createdAt: known?.createdAt ?? now,
    updatedAt: now,
    lastSignInAt: known?.lastSignInAt ?? null,
  });
}

export async function putDemoUsers(
  store: Pick<AccessStore, 'putUser' | 'userByEmail'>,
  estate: Pick<Estate, 'organisations'>,
  now: number,
): Promise<UserRow[]> {
  const users: UserRow[] = [];
  for (const account of demoAccounts(estate)) users.push(await putDemoUser(store, account, now));
  return users;
}
