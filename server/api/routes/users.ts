import { Router } from 'express';
import type { Clock } from '../../../common/clock.js';
import { audit } from '../../access/audit.js';
import { principalOf } from '../../access/principal.js';
import { adminOnly, allow } from '../../access/rules.js';
import type { Estate } from '../../config/schema.js';
import type { AccessStore } from '../../store/access.js';
import { userView } from '../access-views.js';
import { jsonBody } from '../body.js';
import { ApiError, parseInput } from '../errors.js';
import { roleChangeInput } from '../grant-input.js';
import type { UsersResponse, UserView } from '../types.js';

const ROLE_BODY = { bytes: 8 * 1024, depth: 3 };

/** Who may sign in, for admins: their roles changed or removed, their sessions ended with it. */
export function userRoutes(store: AccessStore, clock: Clock, estate: () => Estate | undefined): Router {
  const router = Router();

  const findUser = async (id: string) => {
    const user = await store.user(id);
    if (!user) throw new ApiError('not_found', `no user with id '${id}'`);
    return user;
  };
  /** An admin changing or removing their own account could leave no admin at all: another does it. */
  const notSelf = (req: Parameters<typeof principalOf>[0], id: string, doing: string) => {
    const principal = principalOf(req);
    if (principal.kind === 'user' && principal.userId === id)
      throw new ApiError('conflict', `you cannot ${doing} your own account; another admin can`);
  };

  router.get('/users', allow(adminOnly('listing users')), async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({
      items: (await store.users()).map(userView),
    } satisfies UsersResponse);
  });

  router.patch(
    '/users/:id',
    allow(adminOnly("changing a user's role")),
    jsonBody(ROLE_BODY),
    async (req, res) => {
      const organisations = (estate()?.organisations ?? []).map((o) => o.id);
      const grant = parseInput(roleChangeInput(organisations), req.body, 'body');
      const user = await findUser(String(req.params.id));
      notSelf(req, user.id, 'change the role of');
      // Their role is decided from the identity provider's claims at every sign-in and estate reload:
      // a role set here would be silently undone.
      if (user.source === 'oidc')
        throw new ApiError(
          'conflict',
          `${user.email} signs in through the identity provider, which decides their role: change their app roles or groups there, or access.oidc in the estate file`,
        );
      const now = clock.now();
      const orgs = grant.organisations ?? [];
      // One transaction: the role changes and every session of theirs ends, so the old role is used no more.
      await store.changeRole(user.id, grant.role, orgs, now);
      await audit(store, clock, req, {
        action: 'role-changed',
        subject: user.email,
        detail: {
          from: { role: user.role, organisations: user.organisations },
          to: { role: grant.role, organisations: orgs },
        },
      });
      res.json(userView(await findUser(user.id)) satisfies UserView);
    },
  );

  router.delete('/users/:id', allow(adminOnly('removing a user')), async (req, res) => {
    const user = await findUser(req.params.id);
    notSelf(req, user.id, 'remove');
    // Their sessions go with them, in the same statement.
    await store.removeUser(user.id);
    await audit(store, clock, req, {
      action: 'user-removed',
      subject: user.email,
      detail: { role: user.role, organisations: user.organisations, source: user.source },
    });
    res.status(204).end();
  });

  return router;
}
