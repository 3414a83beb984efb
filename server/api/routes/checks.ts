import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import { checkView } from '../../estate/view.js';
import { resultObject } from '../../results/record.js';
import { summariseSlices, WINDOWS, type Window } from '../../results/summary.js';
import type { Store } from '../../store/store.js';
import { hourOf, londonDayOf } from '../../time.js';
import { ApiError, parseInput } from '../errors.js';

const instant = z
  .string()
  .refine((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO 8601 time, such as 2026-11-24T09:00:00Z')
  .transform((text) => Date.parse(text));

const resultsQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  vantagePoint: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const summaryQuery = z.strictObject({
  window: z.enum(Object.keys(WINDOWS) as [Window, ...Window[]]).optional(),
});

export function checkRoutes(store: Store, clock: Clock): Router {
  const router = Router();

  const findCheck = async (id: string) => {
    const check = (await store.readEstate()).checks.find((c) => c.id === id);
    if (!check) throw new ApiError('not_found', `no check with id '${id}'`);
    return check;
  };

  router.get('/checks', async (_req, res) => {
    const estate = await store.readEstate();
    const items = await Promise.all(
      estate.checks.map(async (check) => ({
        ...checkView(check.definition),
        latest: (await store.latestResults(check.id)).map(({ vantagePoint, result }) => ({
          vantagePoint,
          result,
        })),
      })),
    );
    res.json({ items });
  });

  router.get('/checks/:id', async (req, res) => {
    const check = await findCheck(req.params.id);
    res.json({ ...checkView(check.definition), latest: await store.latestResults(check.id) });
  });

  router.get('/checks/:id/results', async (req, res) => {
    const query = parseInput(resultsQuery, req.query, 'query');
    const check = await findCheck(req.params.id);
    const to = query.to ?? clock.now() + 1;
    const page = await store.listResults(check.id, {
      from: query.from ?? 0,
      to,
      limit: query.limit ?? 100,
      ...(query.vantagePoint ? { vantagePoint: query.vantagePoint } : {}),
    });
    res.json({
      items: page.items.map(resultObject),
      ...(page.next !== undefined ? { next: new Date(page.next).toISOString() } : {}),
    });
  });

  router.get('/checks/:id/summary', async (req, res) => {
    const { window = '24h' } = parseInput(summaryQuery, req.query, 'query');
    const check = await findCheck(req.params.id);
    const now = clock.now();
    const from = now - WINDOWS[window] * 3_600_000;
    // A year is read from daily rollups; shorter windows from hourly ones, never from raw rows.
    const source = window === '365d' ? 'daily' : 'hourly';
    const slices =
      source === 'daily'
        ? await store.rollups(check.id, 'daily', londonDayOf(from), londonDayOf(now) + 1)
        : await store.rollups(check.id, 'hourly', hourOf(from) + 1, hourOf(now) + 1);
    res.json({
      checkId: check.id,
      window,
      from: new Date(from).toISOString(),
      to: new Date(now).toISOString(),
      source,
      ...summariseSlices(slices),
    });
  });

  return router;
}
