import type { Estate, Survey } from '../server/config/schema.js';
import type { ScoreSums, SurveyGrouping } from '../server/db/repos/survey.js';
import type { Store } from '../server/store/store.js';
import { infrastructureItems } from './instruments.js';
import {
  minGroupSize,
  type SuppressedGroup,
  suppressGroups,
  suppressOptionCounts,
  WITHHELD_REASONS,
} from './privacy.js';
import { susEquivalent, susGrade } from './scoring.js';
import { type Interval, netScore, tCritical } from './stats.js';

export type ResultsBy = SurveyGrouping | 'system';

const round = (value: number) => Math.round(value * 10) / 10;
const roundInterval = ([lo, hi]: Interval): Interval => [round(lo), round(hi)];

/**
 * A campaign's results by organisation, site, staff group or system, with the privacy rules applied
 * here, where results leave the server: groups under the minimum size are withheld, and so is the
 * smallest sibling wherever a withheld group could be worked out from a total (organisation → site
 * for sites). A score or net score of a visible group is withheld too when fewer than the minimum
 * answered it.
 */
export async function surveyResults(store: Store, survey: Survey, estate: Estate, by: ResultsBy) {
  const min = minGroupSize(estate.settings.survey?.minGroupSize);
  // One pass per table, grouped; the whole campaign is the sum of its groups.
  const grouping = by === 'system' ? 'organisation' : by;
  const [counts, scoreSums, agreement, demo] = await Promise.all([
    store.surveyGroupCounts(survey.id, grouping),
    store.surveyScoreSums(survey.id, grouping),
    store.surveyAgreementCounts(survey.id, grouping),
    store.surveyDemoCount(survey.id),
  ]);
  const overallScores = totalScores(scoreSums);
  const total = counts.reduce((sum, group) => sum + group.n, 0);
  const overall = {
    n: total,
    /** Responses that are generated demo data, so every view can say so. */
    demo,
    scores: scoresOf(overallScores, min),
    infra: netOf(netCountsOf(agreement.map((row) => ({ ...row, key: 'all' }))).get('all') ?? [], min),
    distributions: distributionsOf(agreement, min),
  };

  if (by === 'system') {
    // Each system's raters, against everyone who answered: a system rated by few is withheld.
    const tree = suppressGroups(
      { key: 'all', n: total, children: overallScores.map((s) => ({ key: s.system, n: s.n })) },
      min,
    );
    const visible = visibility(tree);
    const items = overallScores.map((s) => ({
      key: s.system,
      ...visible(s.system),
      scores: visible(s.system).withheld ? {} : scoresOf([s], min),
    }));
    return { campaign: survey.id, title: survey.title, by, minGroupSize: min, overall, items };
  }

  const netCounts = netCountsOf(agreement);
  const visible = visibility(suppressGroups(treeOf(by, counts, estate), min));
  const items = counts
    .sort((a, b) => a.key.localeCompare(b.key))
    .map(({ key }) => {
      const shown = visible(key);
      if (shown.withheld) return { key, ...shown, scores: {}, infra: {} };
      return {
        key,
        ...shown,
        scores: scoresOf(
          scoreSums.filter((s) => s.key === key),
          min,
        ),
        infra: netOf(netCounts.get(key) ?? [], min),
      };
    });
  return { campaign: survey.id, title: survey.title, by, minGroupSize: min, overall, items };
}

/**
 * How many gave each answer to each agreement item, over the whole campaign: 1 (strongly disagree)
 * to 5 (strongly agree). Counts under 5 are withheld with the next-smallest, and an item answered by
 * fewer than the minimum group size is withheld whole.
 */
function distributionsOf(rows: { item: string; value: number; n: number }[], min: number) {
  const byItem = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const counts = byItem.get(row.item) ?? { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
    counts[String(row.value)] = (counts[String(row.value)] ?? 0) + row.n;
    byItem.set(row.item, counts);
  }
  const distributions: Record<string, unknown> = {};
  for (const [item, counts] of [...byItem].sort((a, b) => a[0].localeCompare(b[0]))) {
    const n = Object.values(counts).reduce((sum, count) => sum + count, 0);
    distributions[item] =
      n < min
        ? { n: null, withheld: true, reason: WITHHELD_REASONS.tooFew }
        : { n, ...suppressOptionCounts(counts) };
  }
  return distributions;
}

/** Score sums of every group added up per system. */
function totalScores(sums: ScoreSums[]): ScoreSums[] {
  const bySystem = new Map<string, ScoreSums>();
  for (const s of sums) {
    const total = bySystem.get(s.system) ?? { ...s, key: 'all', n: 0, sum: 0, squares: 0 };
    total.n += s.n;
    total.sum += s.sum;
    total.squares += s.squares;
    bySystem.set(s.system, total);
  }
  return [...bySystem.values()].sort((a, b) => a.system.localeCompare(b.system));
}

/** The hierarchy a breakdown is protected in: sites under their host organisations, others flat. */
function treeOf(by: SurveyGrouping, counts: { key: string; n: number }[], estate: Estate) {
  const total = counts.reduce((sum, group) => sum + group.n, 0);
  if (by !== 'site') return { key: 'all', n: total, children: counts };
  const hostOf = new Map(estate.sites.map((site) => [site.id, site.host]));
  const byHost = new Map<string, { key: string; n: number }[]>();
  for (const group of counts) {
    const host = hostOf.get(group.key) ?? 'unknown';
    byHost.set(host, [...(byHost.get(host) ?? []), group]);
  }
  return {
    key: 'all',
    n: total,
    children: [...byHost].map(([host, sites]) => ({
      key: `organisation:${host}`,
      n: sites.reduce((sum, site) => sum + site.n, 0),
      children: sites,
    })),
  };
}

/** Whether each group (by key, at any depth) is shown, with its n, or withheld with the reason. */
function visibility(tree: SuppressedGroup) {
  const found = new Map<string, { n: number | null; withheld: boolean; reason?: string }>();
  const walk = (group: SuppressedGroup) => {
    found.set(
      group.key,
      group.withheld ? { n: null, withheld: true, reason: group.reason } : { n: group.n, withheld: false },
    );
    for (const child of group.children ?? []) walk(child);
  };
  walk(tree);
  return (key: string) => found.get(key) ?? { n: null, withheld: true, reason: WITHHELD_REASONS.tooFew };
}

/** Mean score per system with its 95% t-interval; the SUS grade, or UMUX-Lite's SUS equivalent. */
function scoresOf(sums: ScoreSums[], min: number) {
  const scores: Record<string, unknown> = {};
  for (const s of sums) {
    if (s.n < min) {
      scores[s.system] = {
        instrument: s.instrument,
        n: null,
        withheld: true,
        reason: WITHHELD_REASONS.tooFew,
      };
      continue;
    }
    const mean = s.sum / s.n;
    const variance = Math.max(0, (s.squares - s.n * mean * mean) / (s.n - 1));
    const half = (tCritical(0.975, s.n - 1) * Math.sqrt(variance)) / Math.sqrt(s.n);
    const ci95: Interval = [Math.max(0, mean - half), Math.min(100, mean + half)];
    scores[s.system] = {
      instrument: s.instrument,
      n: s.n,
      mean: round(mean),
      ci95: roundInterval(ci95),
      ...(s.instrument === 'sus' ? { grade: susGrade(mean) } : { susEquivalent: round(susEquivalent(mean)) }),
    };
  }
  return scores;
}

/** Net scores (% agree − % disagree) with their intervals; withheld when fewer than the minimum answered. */
function netOf(items: { id: string; answered: number; agree: number; disagree: number }[], min: number) {
  const infra: Record<string, unknown> = {};
  for (const item of items) {
    if (item.answered === 0) continue;
    if (item.answered < min) {
      infra[item.id] = { n: null, withheld: true, reason: WITHHELD_REASONS.tooFew };
      continue;
    }
    const net = netScore({ agree: item.agree, disagree: item.disagree, total: item.answered });
    if (net) infra[item.id] = { n: net.n, net: round(net.net), ci95: roundInterval(net.ci95) };
  }
  return infra;
}

const netRule = new Map<string, { agree: readonly number[]; disagree: readonly number[] }>(
  infrastructureItems.flatMap((item) => ('net' in item ? [[item.id, item.net] as const] : [])),
);

/**
 * Answer counts per group turned into agree, disagree and answered per item (`epr/infra.available`
 * is the `infra.available` item about the EPR).
 */
function netCountsOf(rows: { key: string; item: string; value: number; n: number }[]) {
  const byGroup = new Map<
    string,
    Map<string, { id: string; answered: number; agree: number; disagree: number }>
  >();
  for (const row of rows) {
    const rule = netRule.get(row.item.split('/').at(-1) ?? '');
    if (!rule) continue;
    const items = byGroup.get(row.key) ?? new Map();
    byGroup.set(row.key, items);
    const counts = items.get(row.item) ?? { id: row.item, answered: 0, agree: 0, disagree: 0 };
    items.set(row.item, counts);
    counts.answered += row.n;
    if (rule.agree.includes(row.value)) counts.agree += row.n;
    if (rule.disagree.includes(row.value)) counts.disagree += row.n;
  }
  return new Map([...byGroup].map(([key, items]) => [key, [...items.values()]]));
}
