import type { Express } from 'express';
import { type Rule, ruleOf } from './rules.js';

/** One route of the app as declared: its method, its full path, and the rule its guard carries. */
export interface DeclaredRoute {
  method: string;
  path: string;
  rule: Rule | undefined;
}

interface Layer {
  rawPath?: unknown;
  handle: { stack?: Layer[] };
  route?: { path: unknown; methods: Record<string, boolean>; stack: { method?: string; handle: unknown }[] };
}

/**
 * Every route the app serves, read from Express's own router (not listed by hand), with the rule of
 * the guard first in each method's chain.
 */
export function declaredRoutes(app: Express): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = `${prefix}${pathText(layer.route.path)}`;
        for (const method of Object.keys(layer.route.methods)) {
          const first = layer.route.stack.find(
            (entry) => entry.method === method || entry.method === undefined,
          );
          routes.push({ method: method.toUpperCase(), path, rule: ruleOf(first?.handle) });
        }
      } else if (Array.isArray(layer.handle.stack)) {
        const mount = layer.rawPath === undefined || layer.rawPath === '/' ? '' : pathText(layer.rawPath);
        walk(layer.handle.stack, `${prefix}${mount}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return routes;
}

function pathText(path: unknown): string {
  if (typeof path === 'string') return path;
  if (path instanceof RegExp) return path.source;
  if (Array.isArray(path)) return path.map(pathText).join('|');
  return String(path);
}

/** Refuses an app with a route that has no rule: a forgotten guard is a startup error, not an open door. */
export function assertEveryRouteRuled(app: Express): void {
  const open = declaredRoutes(app).filter((route) => route.rule === undefined);
  if (open.length > 0) {
    throw new Error(
      `routes without an access rule (put allow(rule) first): ${open.map((r) => `${r.method} ${r.path}`).join(', ')}`,
    );
  }
}
