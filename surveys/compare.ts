import type { Estate, Survey } from '../server/config/schema.js';
import type { Store } from '../server/store/store.js';
import { type InstrumentId, instrumentItems } from './instruments.js';
import { minGroupSize, WITHHELD_REASONS } from './privacy.js';
import { type Comparison, welchOf } from './stats.js';

const round = (value: number) => Math.round(value * 10) / 10;

/** Mean and standard deviation from kept sums. */
function summary({ n, sum, squares }: { n: number; sum: number; squares: number }) {
  const mean = n > 0 ? sum / n : 0;
  return { n, mean, sd: n > 1 ? Math.sqrt(Math.max(0, (squares - n * mean * mean) / (n - 1))) : 0 };
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
 * minimum group size in either year is withheld.
 */
export async function compareCampaigns(store: Store, before: Survey, after: Survey, estate: Estate) {
  const min = minGroupSize(estate.settings.survey?.minGroupSize);
  const [beforeScores, afterScores] = await Promise.all([
    store.surveyScoreSums(before.id, 'all'),
    store.surveyScoreSums(after.id, 'all'),
  ]);
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
    const ids = instrumentItems(instrument).map((item) => item.id);
    const [wasItems, isItems] = await Promise.all([
      store.surveyItemSums(before.id, system, ids),
      store.surveyItemSums(after.id, system, ids),
    ]);
    compared.push({
      system,
      instrument,
      withheld: false,
      score: shown(welchOf(summary(was), summary(is))),
      items: ids.map((item, i) => ({
        item,
        ...shown(
          welchOf(
            summary(wasItems[i] ?? { n: 0, sum: 0, squares: 0 }),
            summary(isItems[i] ?? { n: 0, sum: 0, squares: 0 }),
          ),
        ),
      })),
    });
  }
  return { before: before.id, after: after.id, minGroupSize: min, systems: compared };
}
