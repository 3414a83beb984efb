import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../../common/clock.js';
import { resultObject } from '../../../runs/record.js';
import { allow, read } from '../../access/rules.js';
import { checkView } from '../../estate/view.js';
import { checkSummary } from '../../results/check-summary.js';
import { seriesOf, WINDOWS, type Window } from '../../results/summary.js';
import { vantagePointStates } from '../../results/vantage.js';
import { seriesSlices } from '../../results/window.js';
import type { Stores } from '../../store/stores.js';
import { ApiError, parseInput } from '../errors.js';
import { simulatedPart } from '../simulated.js';
import type {
  CheckDetail,
  ChecksResponse,
  ResultsResponse,
  SeriesResponse,
  SummaryResponse,
} from '../types.js';

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

export function checkRoutes(
  stores: Pick<Stores, 'estate' | 'results' | 'demoHistory'>,
  clock: Clock,
): Router {
  const { estate: estateStore, results, demoHistory } = stores;
  const router = Router();

  const findCheck = async (id: string) => {
    const check = await estateStore.getCheck(id);
    if (!check) throw new ApiError('not_found', `no check with id '${id}'`);
    return check;
  };

  router.get('/checks', allow(read), async (_req, res) => {
    const [estate, latest] = await Promise.all([estateStore.readEstate(), results.latestResultsAll()]);
    const now = clock.now();
    res.json({
      items: estate.checks.map((check) => {
        const mine = latest.get(check.id) ?? [];
        return {
          ...checkView(check.definition),
          latest: asLatest(mine),
          vantagePoints: vantagePointStates(check.definition, mine, now),
        };
      }),
    } satisfies ChecksResponse);
  });

  router.get('/checks/:id', allow(read), async (req, res) => {
    const check = await findCheck(req.params.id);
    const latest = await results.latestResults(check.id);
    res.json({
      ...checkView(check.definition),
      latest: asLatest(latest),
      vantagePoints: vantagePointStates(check.definition, latest, clock.now()),
      // A check's history as far back as it is kept: the demo's simulated part of it, if any.
      ...(await simulatedPart(demoHistory, Number.NEGATIVE_INFINITY, clock.now())),
    } satisfies CheckDetail);
  });

  router.get('/checks/:id/results', allow(read), async (req, res) => {
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
    } satisfies ResultsResponse);
  });

  router.get('/checks/:id/summary', allow(read), async (req, res) => {
    const { window = '24h' } = parseInput(summaryQuery, req.query, 'query');
    const check = await findCheck(req.params.id);
    const summary = await checkSummary(results, check, window, clock.now());
    res.json({
      ...summary,
      ...(await simulatedPart(demoHistory, Date.parse(summary.from), Date.parse(summary.to))),
    } satisfies SummaryResponse);
  });

  router.get('/checks/:id/series', allow(read), async (req, res) => {
    const { window = '24h' } = parseInput(summaryQuery, req.query, 'query');
    const check = await findCheck(req.params.id);
    const now = clock.now();
    const { source, slices, toInstant } = await seriesSlices(results, check.id, window, now);
    const perVantagePoint = new Map<string, typeof slices>();
    for (const slice of slices) {
      const own = perVantagePoint.get(slice.vantagePoint) ?? [];
      own.push(slice);
      perVantagePoint.set(slice.vantagePoint, own);
    }
    res.json({
      checkId: check.id,
      window,
      ...(await simulatedPart(demoHistory, now - WINDOWS[window] * 3_600_000, now)),
      source,
      items: seriesOf(slices, toInstant),
      vantagePoints: [...perVantagePoint].map(([vantagePoint, own]) => ({
        vantagePoint,
        items: seriesOf(own, toInstant),
      })),
    } satisfies SeriesResponse);
  });

  return router;
}

/**
 * The store keeps each vantage point's latest result as the result object it was written as
 * (runs/record.ts, resultObject), so that is what is read back.
 */
function asLatest(rows: { vantagePoint: string; result: unknown }[]): CheckDetail['latest'] {
  return rows as CheckDetail['latest'];
}
