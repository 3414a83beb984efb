import type { Express } from 'express';
import { ruleOf } from '../../server/access/rules.js';

interface Layer {
  handle: { stack?: Layer[] };
  route?: { stack: { handle: unknown }[] };
}

/**
 * The same app with every route's guard taken out: the routes' own handlers as they were before
 * sign-in, to measure what the guards cost in the same run. Only for benchmarks.
 */
export function withoutGuards(app: Express): Express {
  const strip = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route)
        layer.route.stack = layer.route.stack.filter((entry) => ruleOf(entry.handle) === undefined);
      else if (Array.isArray(layer.handle.stack)) strip(layer.handle.stack);
    }
  };
  strip((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return app;
}
