import { SERVER_VANTAGE_POINT } from '../../runs/record.js';
import type { Check } from '../config/schema.js';
import type { SiteRow, SystemRow } from '../estate/rows.js';
import { covers } from '../principles/maintenance.js';
import type { Window } from '../principles/windows.js';
import { vantagePointStates } from '../results/vantage.js';
import type { CellState, StatusPlace } from './types.js';

/** What the board is built from: the estate's names, the latest results and the windows on now. */
export interface BoardInput {
  sites: Pick<SiteRow, 'id' | 'name' | 'tags'>[];
  systems: Pick<SystemRow, 'id' | 'name' | 'tags'>[];
  checks: Check[];
  latest: Map<string, { vantagePoint: string; result: unknown }[]>;
  windows: Window[];
  now: number;
  /** When a check went down at a vantage point, from its state timeline; undefined when not known. */
  downSince: (checkId: string, vantagePoint: string) => number | undefined;
  /** Whether ids may be shown (signed-in readers). */
  withIds: boolean;
}

/** One system at one place, before it is named: the states of its checks there. */
interface Tally {
  states: Set<CellState>;
  since: number | undefined;
}

export const SERVER_NAME = 'the Vantage server';

/**
 * Each system's state now at each place it is checked from. A system with several checks at a place
 * is down there when any of them fails (staff meet the worst of it), slow when any is degraded, up
 * when one answers; a check in planned maintenance counts as neither.
 */
export function board(input: BoardInput): StatusPlace[] {
  const sites = new Map(input.sites.map((site) => [site.id, site]));
  const systems = new Map(input.systems.map((system) => [system.id, system]));
  const onNow = input.windows.filter((w) => w.spans.some((s) => s.from <= input.now && input.now < s.to));
  const byPlace = new Map<string, Map<string, Tally>>();
  for (const check of input.checks) {
    const system = systems.get(check.system);
    if (!system) continue;
    for (const vp of vantagePointStates(check, input.latest.get(check.id) ?? [], input.now)) {
      const site = sites.get(vp.vantagePoint);
      const inMaintenance = onNow.some((window) =>
        covers(window, { check, system, ...(site ? { site } : {}) }),
      );
      const state: CellState = inMaintenance ? 'maintenance' : cellOf(vp.state);
      const place = byPlace.get(vp.vantagePoint) ?? new Map<string, Tally>();
      byPlace.set(vp.vantagePoint, place);
      const tally = place.get(system.id) ?? { states: new Set<CellState>(), since: undefined };
      place.set(system.id, tally);
      tally.states.add(state);
      if (state === 'down') {
        const since = input.downSince(check.id, vp.vantagePoint);
        if (since !== undefined) tally.since = Math.min(tally.since ?? since, since);
      }
    }
  }
  const placeOrder = [...input.sites.map((site) => site.id), SERVER_VANTAGE_POINT];
  return placeOrder.flatMap((id) => {
    const place = byPlace.get(id);
    if (!place) return [];
    const site = sites.get(id);
    const cells = input.systems.flatMap((system) => {
      const tally = place.get(system.id);
      if (!tally) return [];
      const state = worst(tally.states);
      return [
        {
          system: system.name,
          ...(input.withIds ? { systemId: system.id } : {}),
          state,
          ...(state === 'down' && tally.since !== undefined
            ? { since: new Date(tally.since).toISOString() }
            : {}),
        },
      ];
    });
    return [
      site
        ? {
            name: site.name,
            kind: 'site' as const,
            ...(input.withIds ? { siteId: site.id } : {}),
            systems: cells,
          }
        : { name: SERVER_NAME, kind: 'server' as const, systems: cells },
    ];
  });
}

function cellOf(state: 'ok' | 'degraded' | 'fail' | 'unknown'): CellState {
  return state === 'ok' ? 'up' : state === 'degraded' ? 'slow' : state === 'fail' ? 'down' : 'unknown';
}

const ORDER: CellState[] = ['down', 'slow', 'up', 'maintenance', 'unknown'];

function worst(states: Set<CellState>): CellState {
  return ORDER.find((state) => states.has(state)) ?? 'unknown';
}
