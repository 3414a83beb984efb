import { Router } from 'express';
import type { Clock } from '../../../common/clock.js';
import { principalOf } from '../../access/principal.js';
import { allow, publicPart } from '../../access/rules.js';
import type { Estate } from '../../config/schema.js';
import { allWindows } from '../../principles/windows.js';
import { board } from '../../status/board.js';
import { incidents } from '../../status/incidents.js';
import { plannedWork } from '../../status/maintenance.js';
import type { StatusResponse } from '../../status/types.js';
import type { Stores } from '../../store/stores.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
// Windows are read from a day back, so one on now shows when it began (unless it began before that).
/** How far back a failing check's state timeline is read to find when it went down. */
const SINCE_LOOKBACK_MS = 7 * 86_400_000;

/**
 * `GET /status`: each system's state now at each place, what is down in plain words, and planned
 * maintenance on now and in the next 7 days. Open to anyone when `access.public` lists `status`.
 */
export function statusRoutes(
  stores: Pick<Stores, 'estate' | 'results' | 'maintenance'>,
  clock: Clock,
  estate: () => Estate | undefined,
): Router {
  const router = Router();
  router.get('/status', allow(publicPart('status')), async (req, res) => {
    const now = clock.now();
    const [stored, latest, windows] = await Promise.all([
      stores.estate.readEstate(),
      stores.results.latestResultsAll(),
      allWindows(estate(), stores.maintenance, now - DAY_MS, now + WEEK_MS),
    ]);
    const checks = stored.checks.map((row) => row.definition);
    // Only the failing checks' timelines are read: the start of their current down stretch.
    const failing = [...latest].filter(([, rows]) =>
      rows.some((row) => (row.result as { state?: string }).state === 'fail'),
    );
    const timelines = new Map(
      await Promise.all(
        failing.map(
          async ([id]) => [id, await stores.results.timeline(id, now - SINCE_LOOKBACK_MS, now + 1)] as const,
        ),
      ),
    );
    const downSince = (checkId: string, vantagePoint: string) => {
      const last = timelines.get(checkId)?.get(vantagePoint)?.at(-1);
      return last?.state === 'down' ? last.from : undefined;
    };
    const principal = principalOf(req);
    const withIds = principal.kind === 'user' || principal.kind === 'api-token';
    const places = board({
      sites: stored.sites,
      systems: stored.systems,
      checks,
      latest,
      windows,
      now,
      downSince,
      withIds,
    });
    const planned = plannedWork(windows, { sites: stored.sites, systems: stored.systems, checks }, now);
    res.set('Cache-Control', 'no-store').json({
      at: new Date(now).toISOString(),
      places,
      incidents: incidents(places, now),
      maintenance: { ...planned, until: new Date(now + WEEK_MS).toISOString() },
    } satisfies StatusResponse);
  });
  return router;
}
