import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../../common/clock.js';
import { allow, read } from '../../access/rules.js';
import { type SystemResponsibility, systemResponsibility } from '../../responsibility/system.js';
import { THRESHOLDS } from '../../responsibility/verdict.js';
import { WINDOWS, type Window } from '../../results/summary.js';
import type { Stores } from '../../store/stores.js';
import { ApiError, parseInput } from '../errors.js';

const windowQuery = z.strictObject({
  window: z.enum(Object.keys(WINDOWS) as [Window, ...Window[]]).optional(),
});

export function systemRoutes(stores: Pick<Stores, 'estate' | 'results'>, clock: Clock): Router {
  const router = Router();

  /** Each of a system's checks judged: worse at some sites (their hosts), everywhere (its owner), or neither. */
  router.get('/systems/:id/responsibility', allow(read), async (req, res) => {
    const { window = '24h' } = parseInput(windowQuery, req.query, 'query');
    const estate = await stores.estate.readEstate();
    const system = estate.systems.find((s) => s.id === req.params.id);
    if (!system) throw new ApiError('not_found', `no system with id '${req.params.id}'`);
    const now = clock.now();
    const answer: SystemResponsibility = {
      systemId: system.id,
      owner: system.owner,
      window,
      to: new Date(now).toISOString(),
      thresholds: THRESHOLDS,
      checks: await systemResponsibility(stores.results, estate, system.id, window, now),
    };
    res.json(answer);
  });

  return router;
}
