import { z } from 'zod';
import { roles } from '../store/access.js';

/**
 * A role and, for a partner, the organisations it acts for, as an admin gives them through the API:
 * each organisation must be one of the estate's, so a typo cannot make a partner who acts for nothing.
 */
const grantShape = {
  role: z.enum(roles),
  organisations: z.array(z.string()).max(100).optional(),
};

function checkGrant(
  grant: { role: (typeof roles)[number]; organisations?: string[] | undefined },
  ctx: z.RefinementCtx,
  known: readonly string[],
): void {
  const organisations = grant.organisations ?? [];
  if (grant.role === 'partner' && organisations.length === 0)
    ctx.addIssue({
      code: 'custom',
      path: ['organisations'],
      message: 'a partner acts for at least one organisation',
    });
  if (grant.role !== 'partner' && organisations.length > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['organisations'],
      message: `only a partner has organisations; a ${grant.role} reads (or acts on) the whole economy`,
    });
  organisations.forEach((id, i) => {
    if (!known.includes(id))
      ctx.addIssue({
        code: 'custom',
        path: ['organisations', i],
        message: `no organisation '${id}' in the estate`,
      });
  });
}

/** `PATCH /users/:id`: the user's new role and organisations. */
export function roleChangeInput(known: readonly string[]) {
  return z.strictObject(grantShape).superRefine((grant, ctx) => checkGrant(grant, ctx, known));
}

/** `POST /api-tokens`: what the new token may do, and a label to know it by. */
export function apiTokenInput(known: readonly string[]) {
  return z
    .strictObject({
      ...grantShape,
      label: z
        .string()
        .trim()
        .min(1, 'must not be empty')
        .max(200, 'must be at most 200 characters')
        .optional(),
    })
    .superRefine((grant, ctx) => checkGrant(grant, ctx, known));
}
