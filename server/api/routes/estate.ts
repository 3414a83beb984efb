import { Router } from 'express';
import { z } from 'zod';
import { allow, read } from '../../access/rules.js';
import { estateView } from '../../estate/view.js';
import type { DemoHistoryStore } from '../../store/demo-history.js';
import type { EstateStore } from '../../store/estate.js';
import { parseInput } from '../errors.js';
import { type Simulation, simulatedPart } from '../simulated.js';
import type { EstateView } from '../types.js';

const query = z.strictObject({ includeRetired: z.enum(['true', 'false']).optional() });

export function estateRoutes(store: EstateStore, history: Pick<DemoHistoryStore, 'history'>): Router {
  const router = Router();
  router.get('/estate', allow(read), async (req, res) => {
    const { includeRetired } = parseInput(query, req.query, 'query');
    res.json({
      ...estateView(await store.readEstate({ includeRetired: includeRetired === 'true' })),
      // The whole span of the demo's simulated history, for the dashboard's notice.
      ...(await simulatedPart(history, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)),
    } satisfies EstateView & Simulation);
  });
  return router;
}
