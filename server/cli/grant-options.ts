import { userInfo } from 'node:os';
import { didYouMean } from '../../common/suggest.js';
import type { Estate } from '../config/schema.js';
import { type AccessStore, type Role, roles } from '../store/access.js';
import { CommandError } from './store.js';
import { UsageError } from './usage.js';

/** The role and organisations a command was given, checked: a partner needs organisations the estate lists. */
export function grantFrom(
  command: string,
  values: { role?: string | undefined; organisation?: string[] | undefined },
  estate: () => Estate,
  configFile: string,
): { role: Role; organisations: string[] } {
  const role = values.role;
  if (role === undefined)
    throw new UsageError(`vantage ${command}: give the role: --role ${roles.join('|')}`);
  if (!(roles as readonly string[]).includes(role)) {
    throw new UsageError(
      `vantage ${command}: there is no role '${role}'${didYouMean(role, roles)}; the roles are ${roles.join(', ')}`,
    );
  }
  const organisations = [...new Set(values.organisation ?? [])];
  if (role !== 'partner') {
    if (organisations.length > 0)
      throw new UsageError(
        `vantage ${command}: only a partner has organisations; a ${role} reads (or acts on) the whole economy: leave out --organisation`,
      );
    return { role: role as Role, organisations };
  }
  if (organisations.length === 0)
    throw new UsageError(
      `vantage ${command}: a partner acts for at least one organisation: give --organisation ORG (repeat it for more)`,
    );
  const known = estate().organisations.map((o) => o.id);
  for (const organisation of organisations) {
    if (!known.includes(organisation))
      throw new CommandError(
        `no organisation '${organisation}' in ${configFile}${didYouMean(organisation, known)}`,
      );
  }
  return { role: 'partner', organisations };
}

/** Records a change made at the command line: by the operating system's user, from `local`. */
export function auditCli(
  store: { access: Pick<AccessStore, 'audit'> },
  event: { action: string; subject: string; detail: Record<string, unknown>; at?: number },
): Promise<void> {
  const { action, subject, detail, at = Date.now() } = event;
  return store.access.audit({ at, actor: cliActor(), action, subject, address: 'local', detail });
}

/** How the audit log names a change made at the command line: the operating system's user. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkedEmail(command: string, email: string | undefined): string {
  if (email === undefined) throw new UsageError(`vantage ${command}: give the person's email address`);
  const trimmed = email.trim();
  if (!EMAIL.test(trimmed) || trimmed.length > 254)
    throw new UsageError(`vantage ${command}: '${email}' is not an email address`);
  return trimmed;
}
