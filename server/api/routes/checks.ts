import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import { checkView } from '../../estate/view.js';
import { resultObject } from '../../results/record.js';
import { seriesOf, summariseSlices, WINDOWS, type Window } from '../../results/summary.js';
import { runPlanOf, unknownRuns, vantagePointStates } from '../../results/vantage.js';
import { seriesSlices, windowSlices } from '../../results/window.js';
import type { Stores } from '../../store/stores.js';
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

export function checkRoutes(stores: Pick<Stores, 'estate' | 'results'>, clock: Clock): Router {
  const { estate: estateStore, results } = stores;
  const router = Router();

  const findCheck = async (id: string) => {
    const check = await estateStore.getCheck(id);
    if (!check) throw new ApiError('not_found', `no check with id '${id}'`);
    return check;
  };

  router.get('/checks', async (_req, res) => {
    const [estate, latest] = await Promise.all([estateStore.readEstate(), results.latestResultsAll()]);
    const now = clock.now();
    res.json({
      items: estate.checks.map((check) => {
        const mine = latest.get(check.id) ?? [];
        return {
          ...checkView(check.definition),
          latest: mine,
          vantagePoints: vantagePointStates(check.definition, mine, now),
        };
      }),
    });
  });

  router.get('/checks/:id', async (req, res) => {
    const check = await findCheck(req.params.id);
    const latest = await results.latestResults(check.id);
    res.json({
      ...checkView(check.definition),
      latest,
      vantagePoints: vantagePointStates(check.definition, latest, clock.now()),
    });
  });

  router.get('/checks/:id/results', async (req, res) => {
    const query = parseInput(resultsQuery, req.query, 'query');
    const check = await findCheck(req.params.id);
    const to = query.to ?? clock.now() + 1;
    const page = await results.listResults(check.id, {
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
    const [{ from, source, slices, firstRuns }, latest] = await Promise.all([
      windowSlices(results, check.id, window, now),
      results.latestResults(check.id),
    ]);
    const summary = summariseSlices(slices);
    const plan = runPlanOf(check.definition);
    // The first rollup says the hour or day a vantage point was first heard in the window; the raw
    // runs of that bucket, while kept, say the minute. Once pruned, the bucket's start will do.
    const firstRunOf = async (vantagePoint: string) => {
      const rough = firstRuns.get(vantagePoint);
      if (rough === undefined) return undefined;
      const exact = await results.firstRunAt(check.id, vantagePoint, Math.max(from, rough.start), rough.end);
      return exact ?? rough.start;
    };
    const unknowns = await Promise.all(
      summary.vantagePoints.map(async (point) =>
        unknownRuns(plan, await firstRunOf(point.vantagePoint), from, now, point.runs),
      ),
    );
    res.json({
      checkId: check.id,
      window,
      from: new Date(from).toISOString(),
      to: new Date(now).toISOString(),
      source,
      overall: summary.overall,
      // Runs that never arrived are counted apart from failures: the place was silent, not the system down.
      vantagePoints: summary.vantagePoints.map((point, i) => ({ ...point, ...unknowns[i] })),
      // The state now at every place the check should run from, those with no runs in the window too.
      states: vantagePointStates(check.definition, latest, now, plan),
    });
  });

  router.get('/checks/:id/series', async (req, res) => {
    const { window = '24h' } = parseInput(summaryQuery, req.query, 'query');
    const check = await findCheck(req.params.id);
    const { source, slices, toInstant } = await seriesSlices(results, check.id, window, clock.now());
    const perVantagePoint = new Map<string, typeof slices>();
    for (const slice of slices) {
      const own = perVantagePoint.get(slice.vantagePoint) ?? [];
      own.push(slice);
      perVantagePoint.set(slice.vantagePoint, own);
    }
    res.json({
      checkId: check.id,
      window,
      source,
      items: seriesOf(slices, toInstant),
      vantagePoints: [...perVantagePoint].map(([vantagePoint, own]) => ({
        vantagePoint,
        items: seriesOf(own, toInstant),
      })),
    });
  });

  return router;
}
