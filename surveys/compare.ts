import type { Estate, Survey } from '../server/config/schema.js';
import type { ItemCount, ScoreSums } from './counts.js';
import { type InstrumentId, instrumentItems } from './instruments.js';
import { minGroupSizeOf, WITHHELD_REASONS } from './privacy.js';
import { type Comparison, noSpread, summaryOf, welchOf } from './stats.js';

const round = (value: number) => Math.round(value * 10) / 10;

/** A campaign's totals, as stored: each system's scores and every item's answers. */
export interface CampaignTotals {
  /** Over the whole campaign (grouped `all`). */
  scoreSums: ScoreSums[];
  itemCounts: ItemCount[];
}

const NONE = { n: 0, sum: 0, squares: 0 };

/** Each numbered item's count, sum and sum of squares, from how many gave each answer. */
function itemSums(counts: ItemCount[]) {
  const sums = new Map<string, { n: number; sum: number; squares: number }>();
  for (const { item, value, n } of counts) {
    const number = Number(value);
    if (!Number.isFinite(number)) continue;
    const kept = sums.get(item) ?? { n: 0, sum: 0, squares: 0 };
    kept.n += n;
    kept.sum += number * n;
    kept.squares += number * number * n;
    sums.set(item, kept);
  }
  return sums;
}

function shown(comparison: Comparison | null) {
  if (!comparison) return null;
  return {
    before: { n: comparison.before.n, mean: round(comparison.before.mean) },
    after: { n: comparison.after.n, mean: round(comparison.after.mean) },
    difference: round(comparison.difference),
    ci95: [round(comparison.ci95[0]), round(comparison.ci95[1])],
    changed: comparison.changed,
  };
}

/**
 * Two campaigns compared item by item, for each system both rated on the same instrument: its score
 * and each item's mean. A difference is called a change only when the 95% Welch interval of the
 * difference excludes zero; n is always given for each year. A system rated by fewer than the
 * minimum group size in either year is withheld, and so is a system or item whose raters in either
 * year all gave the same answer.
 */
export function compareCampaigns(
  counts: { before: CampaignTotals; after: CampaignTotals },
  before: Survey,
  after: Survey,
  estate: Estate,
) {
  const min = minGroupSizeOf(estate);
  const beforeScores = counts.before.scoreSums;
  const afterScores = counts.after.scoreSums;
  const beforeItems = itemSums(counts.before.itemCounts);
  const afterItems = itemSums(counts.after.itemCounts);
  const systems = Object.keys(after.systems).filter(
    (system) => before.systems[system] === after.systems[system],
  );
  const compared = [];
  for (const system of systems) {
    const instrument = after.systems[system] as InstrumentId;
    const was = beforeScores.find((s) => s.system === system);
    const is = afterScores.find((s) => s.system === system);
    if (!was || !is || was.n < min || is.n < min) {
      compared.push({ system, instrument, withheld: true, reason: WITHHELD_REASONS.tooFew });
      continue;
    }
    // A year whose raters all gave one score (or one answer to an item) would have its mean tell
    // each one's, as the year's own results, which withhold it, say.
    if (noSpread(was) || noSpread(is)) {
      compared.push({ system, instrument, withheld: true, reason: WITHHELD_REASONS.sameAnswer });
      continue;
    }
    const ids = instrumentItems(instrument).map((item) => item.id);
    compared.push({
      system,
      instrument,
      withheld: false,
      score: shown(welchOf(summaryOf(was), summaryOf(is))),
      items: ids.map((item) => {
        const before = beforeItems.get(`${system}/${item}`) ?? NONE;
        const after = afterItems.get(`${system}/${item}`) ?? NONE;
        if (noSpread(before) || noSpread(after)) {
          return { item, withheld: true, reason: WITHHELD_REASONS.sameAnswer };
        }
        return { item, ...shown(welchOf(summaryOf(before), summaryOf(after))) };
      }),
    });
  }
  return { before: before.id, after: after.id, minGroupSize: min, systems: compared };
}
