import type { Estate } from '../config/schema.js';
import type { MaintenanceScope } from '../store/maintenance.js';
import { type Principal, roleOf } from './principal.js';
import type { Decision } from './rules.js';

/**
 * Whether a principal may add or end a maintenance window with this scope. A window stops the
 * accounting of everything it covers, so a partner may place one only on what its organisations answer
 * for: every system in scope owned by them, every site hosted by them, every check's system owned by
 * them. Tags may reach anyone's checks: admins only. The refusal names each thing missing.
 */
export function mayMaintain(
  principal: Principal,
  estate: Estate | undefined,
  scope: MaintenanceScope,
  doing: string,
): Decision {
  const role = roleOf(principal);
  if (role === 'admin') return { ok: true };
  if (role !== 'partner')
    return refuse(
      `${doing} needs the partner role for the organisations responsible, or admin`,
      'partner',
      role,
    );
  const own = principal.kind === 'user' || principal.kind === 'api-token' ? principal.organisations : [];
  const acting = `you act for ${own.join(', ') || 'no organisation'}`;
  if ((scope.tags ?? []).length > 0)
    return refuse(
      `${doing} by tag (${scope.tags?.join(', ')}) needs the admin role: a tag may reach any organisation's checks`,
      'admin',
      role,
    );
  if (!estate) return refuse(`${doing} needs the estate file to say who is responsible`, 'admin', role);
  const missing: string[] = [];
  const owner = (id: string) => estate.systems.find((s) => s.id === id)?.owner;
  for (const id of scope.systems ?? []) {
    const org = owner(id);
    if (!org || !own.includes(org)) missing.push(`system '${id}' (owner ${org ?? 'unknown'})`);
  }
  for (const id of scope.sites ?? []) {
    const org = estate.sites.find((s) => s.id === id)?.host;
    if (!org || !own.includes(org)) missing.push(`site '${id}' (host ${org ?? 'unknown'})`);
  }
  for (const id of scope.checks ?? []) {
    const system = estate.checks.find((c) => c.id === id)?.system;
    const org = system === undefined ? undefined : owner(system);
    if (!org || !own.includes(org))
      missing.push(`check '${id}' (system ${system ?? 'unknown'}, owner ${org ?? 'unknown'})`);
  }
  if (missing.length === 0) return { ok: true };
  return refuse(
    `${doing} needs a partner of the organisation responsible for each thing in scope, or admin; not yours: ${missing.join(', ')}; ${acting}`,
    'partner of the organisations responsible for the whole scope',
    role,
    missing,
  );
}

function refuse(message: string, needs: string, have: string | undefined, missing?: string[]): Decision {
  return {
    ok: false,
    status: have === undefined ? 401 : 403,
    message,
    details: { needs, have: have ?? null, ...(missing ? { missing } : {}) },
  };
}
