import { randomUUID } from 'node:crypto';
import { didYouMean } from '../../common/suggest.js';
import { hashPassword } from '../access/passwords.js';
import type { SqliteStores } from '../store/sqlite/stores.js';
import { auditCli, checkedEmail, grantFrom } from './grant-options.js';
import { readNewPassword, refusePasswordOption } from './password-input.js';
import { CommandError, loadEstate, WHERE_OPTIONS, whereOf, withStore } from './store.js';
import { iso, table } from './table.js';
import { parseCommand, UsageError } from './usage.js';

type Out = (line: string) => void;

const ACTIONS = ['add', 'list', 'remove', 'role', 'password'];
/** Only `add` may make the database: the first administrator is often made before the first serve. */
const EXISTING = { create: false } as const;

/**
 * `vantage user add|list|remove|role|password`: local accounts (and every account, for list, remove
 * and role), on serve's database, which serve may hold: SQLite lets both in, and a change of role or
 * a removal ends the person's sessions at once.
 */
export async function userCommand(args: string[], out: Out, err: Out): Promise<number> {
  const [action, ...rest] = args;
  const command = `user ${action ?? ''}`.trim();
  if (action === 'add' || action === 'password') refusePasswordOption(command, rest);
  const { values, positionals } = parseCommand(
    command,
    rest,
    {
      role: { type: 'string' },
      organisation: { type: 'string', multiple: true },
      name: { type: 'string' },
      ...WHERE_OPTIONS,
    },
    action === 'list' ? 0 : 1,
  );
  const { dbFile, configFile } = whereOf(values);
  const estate = () => loadEstate(configFile, err, "a partner's organisations must be ones it lists");
  const audit = (store: SqliteStores, action: string, subject: string, detail: Record<string, unknown>) =>
    auditCli(store, { action, subject, detail });

  try {
    switch (action) {
      case 'add': {
        const email = checkedEmail(command, positionals[0]);
        const grant = grantFrom(command, values, estate, configFile);
        const made = await withStore(dbFile, async (store) => {
          const known = await store.access.userByEmail(email);
          if (known)
            throw new CommandError(
              `there is already a user ${known.email} (${known.source}, ${known.role}): change their role with vantage user role, their password with vantage user password`,
            );
          // Asked for only once everything else is known to be right.
          const passwordHash = await hashPassword(await readNewPassword());
          const now = Date.now();
          const user = await store.access.putUser({
            id: randomUUID(),
            email,
            name: values.name?.trim() || (email.split('@')[0] as string),
            ...grant,
            source: 'local',
            passwordHash,
            claims: null,
            createdAt: now,
            updatedAt: now,
            lastSignInAt: null,
          });
          await audit(store, 'user-added', user.email, { ...grant, source: 'local' });
          return user;
        });
        out(`user ${made.email} added as ${describe(made.role, made.organisations)}: they can sign in now`);
        return 0;
      }
      case 'list':
        await withStore(
          dbFile,
          async (store) => {
            const users = await store.access.users();
            if (users.length === 0) {
              out('no users yet: add the first administrator with vantage user add EMAIL --role admin');
              return;
            }
            const rows = users.map((u) => [
              u.email,
              u.role,
              u.organisations.join(',') || '-',
              u.source,
              u.lastSignInAt === null ? 'never' : iso(u.lastSignInAt),
            ]);
            for (const line of table(['EMAIL', 'ROLE', 'ORGANISATIONS', 'SOURCE', 'LAST SIGN-IN'], rows))
              out(line);
          },
          EXISTING,
        );
        return 0;
      case 'remove': {
        const email = checkedEmail(command, positionals[0]);
        await withStore(
          dbFile,
          async (store) => {
            const user = await existing(store, email);
            const ended = await store.access.endSessions(user.id);
            await store.access.removeUser(user.id);
            await audit(store, 'user-removed', user.email, { role: user.role, sessionsEnded: ended });
            out(`user ${user.email} removed; ${sessions(ended)} ended`);
          },
          EXISTING,
        );
        return 0;
      }
      case 'role': {
        const email = checkedEmail(command, positionals[0]);
        const grant = grantFrom(command, values, estate, configFile);
        await withStore(
          dbFile,
          async (store) => {
            const user = await existing(store, email);
            const ended = await store.access.endSessions(user.id);
            await store.access.changeRole(user.id, grant.role, grant.organisations, Date.now());
            await audit(store, 'role-changed', user.email, {
              from: { role: user.role, organisations: user.organisations },
              to: grant,
              sessionsEnded: ended,
            });
            out(
              `user ${user.email} is now ${describe(grant.role, grant.organisations)}; ${sessions(ended)} ended`,
            );
            if (user.source === 'oidc')
              err(
                'they sign in with the identity provider: their role is decided again from its claims when they next sign in',
              );
          },
          EXISTING,
        );
        return 0;
      }
      case 'password': {
        const email = checkedEmail(command, positionals[0]);
        await withStore(
          dbFile,
          async (store) => {
            const user = await existing(store, email);
            if (user.source !== 'local')
              throw new CommandError(
                `${user.email} signs in ${user.source === 'oidc' ? 'with the identity provider' : 'as a demo account'}: it has no Vantage password`,
              );
            const passwordHash = await hashPassword(await readNewPassword());
            await store.access.putUser({ ...user, passwordHash, updatedAt: Date.now() });
            const ended = await store.access.endSessions(user.id);
            await audit(store, 'password-changed', user.email, { sessionsEnded: ended });
            out(`password of ${user.email} changed; ${sessions(ended)} ended`);
          },
          EXISTING,
        );
        return 0;
      }
      default:
        throw new UsageError(
          action === undefined
            ? `vantage user: say ${ACTIONS.join(', ')}`
            : `vantage user: unknown action '${action}'${didYouMean(action, ACTIONS)}`,
        );
    }
  } catch (error) {
    if (error instanceof CommandError) {
      err(`vantage ${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

async function existing(store: SqliteStores, email: string) {
  const user = await store.access.userByEmail(email);
  if (!user) throw new CommandError(`there is no user ${email} (see vantage user list)`);
  return user;
}

const describe = (role: string, organisations: readonly string[]) =>
  role === 'partner' ? `partner for ${organisations.join(', ')}` : role;

const sessions = (n: number) => `${n} session${n === 1 ? '' : 's'}`;
