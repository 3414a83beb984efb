import type { Attribution, Minutes } from '../../principles/accounting.js';

export type Status = 'met' | 'at-risk' | 'breached' | 'no-data';

/** The windows down time is also counted over, ending at the period's end: the burn alerts will read. */
export const BURN_WINDOWS = {
  '1h': 3_600_000,
  '6h': 21_600_000,
  '1d': 86_400_000,
  '3d': 259_200_000,
} as const;
export type BurnWindow = keyof typeof BURN_WINDOWS;
export type Burn = Record<BurnWindow, number>;
export const emptyBurn = (): Burn => ({ '1h': 0, '6h': 0, '1d': 0, '3d': 0 });

const MINUTE_MS = 60_000;

/** Milliseconds summed for an item or a group: the minutes of each kind, the last day's down, whose. */
export interface Tally {
  ms: Minutes;
  /** Down time within the hours in the last hour, 6 hours, day and 3 days of the period. */
  burnMs: Burn;
  /** Keyed by organisation and role. */
  attribution: Map<string, Attribution>;
}

export const emptyTally = (): Tally => ({
  ms: { up: 0, down: 0, maintenance: 0, unknown: 0 },
  burnMs: emptyBurn(),
  attribution: new Map(),
});

/** Each organisation's two keys, made once: a tally sums thousands of attributions by them. */
const ATTRIBUTION_KEYS = new Map<string | null, Record<Attribution['role'], string>>();

/** The key an attribution is summed under in a tally: its organisation and role. */
export function attributionKey(organisation: string | null, role: Attribution['role']): string {
  let keys = ATTRIBUTION_KEYS.get(organisation);
  if (!keys) {
    const id = organisation ?? '';
    keys = { owner: `${id}\u0000owner`, host: `${id}\u0000host` };
    ATTRIBUTION_KEYS.set(organisation, keys);
  }
  return keys[role];
}

/** Items' keys by site, then system, made once: a period's tallies look one up for every check. */
const ITEM_KEYS = new Map<string, Map<string, string>>();

/** The key of an item (a site or vantage point, and a system) in a principle's tallies. */
export function itemKey(site: string, system: string): string {
  let bySystem = ITEM_KEYS.get(site);
  if (!bySystem) {
    bySystem = new Map();
    ITEM_KEYS.set(site, bySystem);
  }
  let key = bySystem.get(system);
  if (key === undefined) {
    key = `${site}|${system}`;
    bySystem.set(system, key);
  }
  return key;
}

export function addTo(tally: Tally, ms: Minutes, burnMs: Burn, attribution: Iterable<Attribution>): void {
  tally.ms.up += ms.up;
  tally.ms.down += ms.down;
  tally.ms.maintenance += ms.maintenance;
  tally.ms.unknown += ms.unknown;
  tally.burnMs['1h'] += burnMs['1h'];
  tally.burnMs['6h'] += burnMs['6h'];
  tally.burnMs['1d'] += burnMs['1d'];
  tally.burnMs['3d'] += burnMs['3d'];
  for (const a of attribution) {
    const key = attributionKey(a.organisation, a.role);
    const seen = tally.attribution.get(key);
    if (seen) seen.ms += a.ms;
    else tally.attribution.set(key, { ...a });
  }
}

export function merge(tallies: readonly Tally[]): Tally {
  const sum = emptyTally();
  for (const t of tallies) addTo(sum, t.ms, t.burnMs, t.attribution.values());
  return sum;
}

export interface AttributedMinutes {
  organisation: string | null;
  role: 'owner' | 'host';
  minutes: number;
  /** For a survey figure: how many responses it was made from (its minutes are 0). */
  responses?: number;
}

export interface Figure {
  status: Status;
  /** Availability in percent, or a latency percentile in ms; null with no time up or down (no timed runs). */
  value: number | null;
  target: number;
  minutes: Minutes;
  budget: { allowed: number; spent: number; left: number };
  /** Down minutes within the hours over the last 1 h, 6 h, 1 d and 3 d of the period. */
  burn: Burn;
  attribution: AttributedMinutes[];
}

/**
 * What lies ahead for the at-risk rule: the wall time the period has still to run (for a rolling window,
 * one whole window), and the wall time the last day's burn was measured over (less in a shorter period).
 */
export interface Horizon {
  remainingMs: number;
  recentMs: number;
}

const minutes = (ms: number) => ms / MINUTE_MS;

/** A tally judged against a target (percent). */
export function figureOf(tally: Tally, target: number, horizon: Horizon): Figure {
  const { up, down } = tally.ms;
  const counted = up + down;
  const allowed = ((100 - target) / 100) * minutes(counted);
  const left = allowed - minutes(down);
  const value = counted === 0 ? null : (up / counted) * 100;
  const burnPerMs = horizon.recentMs > 0 ? minutes(tally.burnMs['1d']) / horizon.recentMs : 0;
  let status: Status;
  if (value === null) status = 'no-data';
  else if (value < target) status = 'breached';
  else if (horizon.remainingMs > 0 && burnPerMs * horizon.remainingMs > left) status = 'at-risk';
  else status = 'met';
  return {
    status,
    value,
    target,
    minutes: {
      up: minutes(up),
      down: minutes(down),
      maintenance: minutes(tally.ms.maintenance),
      unknown: minutes(tally.ms.unknown),
    },
    budget: { allowed, spent: minutes(down), left },
    burn: {
      '1h': minutes(tally.burnMs['1h']),
      '6h': minutes(tally.burnMs['6h']),
      '1d': minutes(tally.burnMs['1d']),
      '3d': minutes(tally.burnMs['3d']),
    },
    attribution: [...tally.attribution.values()]
      .map((a) => ({ organisation: a.organisation, role: a.role, minutes: minutes(a.ms) }))
      // Most minutes first; ties by organisation and role, so the order never depends on how items were summed.
      .sort(
        (a, b) =>
          b.minutes - a.minutes ||
          byName(a.organisation ?? '', b.organisation ?? '') ||
          byName(a.role, b.role),
      ),
  };
}

const RANK: Record<Status, number> = { 'no-data': 0, met: 1, 'at-risk': 2, breached: 3 };

/** The worst of some statuses: a group is breached when any of its items is. */
export function worstStatus(statuses: readonly Status[]): Status {
  return statuses.reduce<Status>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), 'no-data');
}

/** Worst first: by status, then by lower value. */
export function byWorst(a: Pick<Figure, 'status' | 'value'>, b: Pick<Figure, 'status' | 'value'>): number {
  return RANK[b.status] - RANK[a.status] || (a.value ?? Infinity) - (b.value ?? Infinity);
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
