import type { Stretch } from '../../principles/timeline.js';
import type { Check } from '../config/schema.js';
import type { ResultsStore } from '../store/results.js';

/** Something a pass over the estate's state timeline feeds, a check at a time. */
export interface TimelinePass {
  /** A check's stretches in the period, by vantage point. */
  visit(checkId: string, timeline: Map<string, Stretch[]>): void;
  /** After the pass: the checks never visited had no stretch in the period (silent throughout). */
  finish(): void;
}

/**
 * A pass that accounts each of some checks once: with its stretches when the timeline has any in the
 * period, and with none (silent throughout: unknown time, still accounted) when it has not.
 */
export function checkPass(
  checks: readonly Check[],
  account: (check: Check, timeline: Map<string, Stretch[]>) => void,
): TimelinePass {
  const unseen = new Map(checks.map((check) => [check.id, check]));
  return {
    visit(checkId, timeline) {
      const check = unseen.get(checkId);
      if (!check) return;
      unseen.delete(checkId);
      account(check, timeline);
    },
    finish() {
      for (const check of unseen.values()) account(check, new Map());
    },
  };
}

/** Reads the period's timeline once, handing each check to every pass. */
export async function readTimelines(
  results: Pick<ResultsStore, 'timelines'>,
  from: number,
  to: number,
  passes: readonly TimelinePass[],
): Promise<void> {
  if (passes.length === 0) return;
  await results.timelines(from, to, (checkId, timeline) => {
    for (const pass of passes) pass.visit(checkId, timeline);
  });
  for (const pass of passes) pass.finish();
}

/** Orders ids by their characters: they are slugs, and this is many times quicker than localeCompare. */
export const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
