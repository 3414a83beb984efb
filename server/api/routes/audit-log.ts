import { Router } from 'express';
import { z } from 'zod';
import { adminOnly, allow } from '../../access/rules.js';
import type { AccessStore } from '../../store/access.js';
import { auditEntryView } from '../access-views.js';
import { parseInput } from '../errors.js';
import type { AuditResponse } from '../types.js';

const instant = z
  .string()
  .refine((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO 8601 time, such as 2026-11-24T09:00:00Z')
  .transform((text) => Date.parse(text));
const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const auditQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  actor: z.string().min(1).max(320).optional(),
  action: z.string().min(1).max(100).optional(),
  limit: whole(1, 500).optional(),
  /** The `next` of the page before: entries older than it. */
  before: whole(1, Number.MAX_SAFE_INTEGER).optional(),
});

/** The audit log, for admins: newest first, a page at a time. */
export function auditRoutes(store: AccessStore): Router {
  const router = Router();
  router.get('/audit', allow(adminOnly('reading the audit log')), async (req, res) => {
    const query = parseInput(auditQuery, req.query, 'query');
    const limit = query.limit ?? 100;
    // One more than asked for says whether there is an older page, without counting.
    const found = await store.auditLog({
      limit: limit + 1,
      ...(query.from !== undefined ? { from: query.from } : {}),
      ...(query.to !== undefined ? { to: query.to } : {}),
      ...(query.actor !== undefined ? { actor: query.actor } : {}),
      ...(query.action !== undefined ? { action: query.action } : {}),
      ...(query.before !== undefined ? { before: query.before } : {}),
    });
    const items = found.slice(0, limit);
    const last = items.at(-1);
    const answer: AuditResponse = {
      items: items.map(auditEntryView),
      ...(found.length > limit && last ? { next: last.seq } : {}),
    };
    res.set('Cache-Control', 'no-store').json(answer);
  });
  return router;
}
