import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../common/logger.js';
import { OidcRolesSubsystem } from '../../server/access/oidc/reassess.js';
import type { UserRow } from '../../server/store/access.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const NOW = Date.UTC(2026, 11, 3, 12);

const estate = (oidc: string) =>
  estateFrom(`${smallEstateYaml}access:
  oidc:
    issuer: https://login.microsoftonline.com/0b1c/v2.0
    clientId: app
    clientSecret: \${VANTAGE_OIDC_SECRET:-x}
${oidc}`);

const user = (email: string, fields: Partial<UserRow>): UserRow => ({
  id: email.split('@')[0] ?? email,
  email,
  name: email,
  role: 'viewer',
  organisations: [],
  source: 'oidc',
  passwordHash: null,
  claims: [],
  createdAt: NOW,
  updatedAt: NOW,
  lastSignInAt: NOW,
  ...fields,
});

describe('identity-provider users follow the estate file', () => {
  let store: SqliteStores | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function setUp() {
    store = SqliteStores.open(join(tmp(), 'vantage.db'));
    const people = [
      user('ada@riverside.example.org', {
        role: 'partner',
        organisations: ['riverside'],
        claims: ['role:Vantage.Partner.riverside', 'email:ada@riverside.example.org'],
      }),
      user('grace@eastfield.example.org', {
        claims: ['group:g-viewers', 'email:grace@eastfield.example.org'],
      }),
      user('local@riverside.example.org', { source: 'local', passwordHash: 'scrypt$…', role: 'admin' }),
    ];
    for (const person of people) {
      const kept = await store.access.putUser(person);
      await store.access.addSession({
        idHash: `session-of-${kept.id}`,
        userId: kept.id,
        csrf: 'c',
        address: null,
        createdAt: NOW,
        lastSeenAt: NOW,
        expiresAt: NOW + 3_600_000,
      });
    }
    const errors: string[] = [];
    const logger: Logger = { info() {}, warn() {}, error: (message) => errors.push(message) };
    const roles = new OidcRolesSubsystem({ store: store.access, clock: { now: () => NOW }, logger });
    return { store, roles, errors };
  }

  it('leaves everyone as they are while the mapping gives the same roles', async () => {
    const { store, roles } = await setUp();
    expect(await roles.reassess(estate('    groups:\n      g-viewers: { role: viewer }\n'))).toBe(0);
    expect((await store.access.users()).map((u) => u.role)).toEqual(['partner', 'viewer', 'admin']);
    expect(await store.access.session('session-of-ada')).toBeDefined();
  });

  it('changes a role the mapping now decides otherwise, ending the sessions; removes one it no longer grants', async () => {
    const { store, roles } = await setUp();
    await roles.apply(estate('    roles:\n      Vantage.Partner.riverside: { role: admin }\n'));
    const users = await store.access.users();
    expect(users.map((u) => [u.email, u.role])).toEqual([
      ['ada@riverside.example.org', 'admin'],
      ['local@riverside.example.org', 'admin'],
    ]);
    expect(await store.access.session('session-of-ada')).toBeUndefined();
    expect(await store.access.session('session-of-grace')).toBeUndefined();
    // A local account is not the identity provider's to change.
    expect(await store.access.session('session-of-local')).toBeDefined();
    const log = await store.access.auditLog({ limit: 10 });
    expect(log.map((entry) => [entry.action, entry.actor, entry.subject]).sort()).toEqual([
      ['role-changed', 'estate-file', 'ada@riverside.example.org'],
      ['user-removed', 'estate-file', 'grace@eastfield.example.org'],
    ]);
  });

  it('takes a partner role away when its organisation leaves the estate', async () => {
    const { store, roles } = await setUp();
    const without = estate('    groups:\n      g-viewers: { role: viewer }\n');
    without.organisations = without.organisations.filter((o) => o.id !== 'riverside');
    await roles.apply(without);
    expect(await store.access.userByEmail('ada@riverside.example.org')).toBeUndefined();
  });

  it('logs a store that cannot be written rather than refusing the estate', async () => {
    const { store, roles, errors } = await setUp();
    await store.close();
    await expect(roles.apply(estate(''))).resolves.toBeUndefined();
    expect(errors).toEqual(['could not decide the roles of identity-provider users again']);
  });
});
