import type { Clock } from '../../../common/clock.js';
import type { Logger } from '../../../common/logger.js';
import type { Estate } from '../../config/schema.js';
import type { Subsystem } from '../../lifecycle/subsystem.js';
import type { AccessStore } from '../../store/access.js';
import { claimsFromList, decideGrant } from './grants.js';

/** Who the audit log says made a change that came from editing the estate file. */
const ESTATE_FILE = 'estate-file';

/**
 * People who signed in through the identity provider keep the role their claims gave them only while
 * the estate's mapping still gives it. At the start and at every reload, each one's role is decided
 * again from the claim values kept at their last sign-in: a changed role is changed (ending their
 * sessions), no role removes them (ending their sessions). With no `access.oidc` at all nobody can
 * sign in that way, so none keeps a role. Never refuses an estate: a store that cannot be written is
 * logged, and the next reload tries again.
 */
export class OidcRolesSubsystem implements Subsystem {
  readonly name = 'oidc-roles';
  readonly #store: AccessStore;
  readonly #clock: Clock;
  readonly #logger: Logger;

  constructor(deps: { store: AccessStore; clock: Clock; logger: Logger }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
  }

  async apply(estate: Estate): Promise<void> {
    try {
      await this.reassess(estate);
    } catch (error) {
      this.#logger.error('could not decide the roles of identity-provider users again', {
        error: (error as Error).message,
      });
    }
  }

  /** Decides every identity-provider user's role again; the number changed or removed. */
  async reassess(estate: Estate): Promise<number> {
    const organisations = estate.organisations.map((o) => o.id);
    let changes = 0;
    for (const user of await this.#store.users()) {
      if (user.source !== 'oidc') continue;
      const decided = decideGrant(claimsFromList(user.claims ?? []), estate.access.oidc, organisations);
      const at = this.#clock.now();
      const entry = { at, actor: ESTATE_FILE, subject: user.email, address: null };
      if (!decided) {
        await this.#store.removeUser(user.id);
        await this.#store.audit({
          ...entry,
          action: 'user-removed',
          detail: {
            source: 'oidc',
            reason: 'the estate file no longer gives their claims a role',
            was: user.role,
          },
        });
        changes++;
        continue;
      }
      if (decided.role === user.role && decided.organisations.join() === user.organisations.join()) continue;
      await this.#store.changeRole(user.id, decided.role, decided.organisations, at);
      await this.#store.audit({
        ...entry,
        action: 'role-changed',
        detail: { from: { role: user.role, organisations: user.organisations }, to: decided },
      });
      changes++;
    }
    if (changes > 0) this.#logger.info('identity-provider users given their roles again', { changes });
    return changes;
  }

  start(): void {}
  stop(): void {}
}
