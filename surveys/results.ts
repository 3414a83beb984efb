import type { Estate, Survey } from '../server/config/schema.js';
import { suppressAnswerTable } from './answer-table.js';
import type { AnswerCount, ScoreCell, ScoreSums, SurveyCell } from './counts.js';
import { BREAKDOWNS, discloseBreakdowns, shownIn } from './disclosure.js';
import { figureDisclosures, scoreFigure } from './figures.js';
import { itemOfKey } from './instruments.js';
import {
  minGroupSizeOf,
  type SuppressedOptions,
  suppressGroups,
  WITHHELD_REASONS,
  type WithheldReason,
} from './privacy.js';
import { susEquivalent, susGrade } from './scoring.js';
import { type Interval, type MeanInterval, netScore, summaryOf, tIntervalOf } from './stats.js';

/** The breakdowns results can be given by: the respondents' groups, or the systems rated. */
export const RESULTS_BY = [...BREAKDOWNS, 'system'] as const;
export type ResultsBy = (typeof RESULTS_BY)[number];

const round = (value: number) => Math.round(value * 10) / 10;
const roundInterval = ([lo, hi]: Interval): Interval => [round(lo), round(hi)];
const withheld = (reason: WithheldReason) => ({ n: null, withheld: true as const, reason });

/** What a campaign's results are made from, as stored. */
export interface ResultsCounts {
  /** Responses per cell. */
  cells: SurveyCell[];
  /** Per cell, item and answer: how many gave it. */
  answers: AnswerCount[];
  /** Per group of the breakdown asked for (or `all` for by system) and system. */
  scoreSums: ScoreSums[];
  /** Per cell and system. */
  scoreCells: ScoreCell[];
  /** How many responses are generated demo data. */
  demo: number;
}

/** Answer counts below this are withheld within a shown group (the GP Patient Survey rule). */
const MIN_ANSWER_COUNT = 5;

/**
 * A campaign's results by organisation, site, staff group or system, with the privacy rules applied
 * here, where results leave the server:
 * - which groups are shown is decided for all breakdowns at once (`discloseBreakdowns`), so the
 *   same groups are withheld whichever breakdown is asked for;
 * - each figure (a system's score, an item's answers) is decided again over the people who gave it,
 *   within the shown groups, so no score of a few can be worked out from a group's and the total's;
 * - answer counts are withheld where small, across each group's row and the campaign's column;
 * - no figure is given for people who all gave the same answer (every member's score or answer
 *   would be plain), overall or in a group, nor for a group whose figure, beside the others shown,
 *   would give theirs away.
 */
export function surveyResults(counts: ResultsCounts, survey: Survey, estate: Estate, by: ResultsBy) {
  const min = minGroupSizeOf(estate);
  const { cells, answers, scoreSums, scoreCells, demo } = counts;
  const total = cells.reduce((sum, cell) => sum + cell.n, 0);
  const byItem = answersByItem(answers);
  const overallScores = totalScores(scoreSums);
  const overallRows = new Map([...byItem].map(([item, rows]) => [item, optionCounts(item, rows)]));

  const groups = discloseBreakdowns(cells, min);
  const figures = figureDisclosures(byItem, scoreCells, groups, min);
  /** A system's score over all its raters, unless they all gave it the same score. */
  const overallScore = (s: ScoreSums) =>
    s.n >= min && figures.alike(scoreFigure(s.system))
      ? { instrument: s.instrument, ...withheld(WITHHELD_REASONS.sameAnswer) }
      : scoreOf(s, min);
  // Each item's answers per shown group of every breakdown, withheld where small; the campaign's
  // own counts are shared by all the breakdowns, so they are decided with all of them.
  const tables = new Map(
    [...byItem].map(([item, rows]) => {
      const disclosure = figures.of(item);
      const perGroup = BREAKDOWNS.map((breakdown) => {
        const counts = new Map<string, Record<string, number>>();
        for (const row of rows) {
          const key = row[breakdown];
          if (shownIn(disclosure, breakdown, key).withheld) continue;
          if (!counts.has(key)) counts.set(key, emptyCounts(item));
          const group = counts.get(key) as Record<string, number>;
          group[row.value] = (group[row.value] ?? 0) + row.n;
        }
        return counts;
      });
      const table = suppressAnswerTable(overallRows.get(item) ?? {}, perGroup, MIN_ANSWER_COUNT);
      return [item, { disclosure, perGroup, table }] as const;
    }),
  );

  const overall = {
    n: total,
    /** Responses that are generated demo data, so every view can say so. */
    demo,
    scores: Object.fromEntries(overallScores.map((s) => [s.system, overallScore(s)])),
    infra: {} as Record<string, unknown>,
    distributions: {} as Record<string, unknown>,
  };
  for (const [item, counts] of overallRows) {
    const n = sumOf(counts);
    if (n >= min && figures.alike(item)) {
      overall.distributions[item] = withheld(WITHHELD_REASONS.sameAnswer);
      if (netRuleOf(item)) overall.infra[item] = withheld(WITHHELD_REASONS.sameAnswer);
      continue;
    }
    const shown = n < min ? undefined : tables.get(item)?.table.overall;
    overall.distributions[item] = shown ? { n, ...shown } : withheld(WITHHELD_REASONS.tooFew);
    const net = netOf(item, counts, shown, min);
    if (net) overall.infra[item] = net;
  }
  const head = { campaign: survey.id, title: survey.title, by, minGroupSize: min };

  if (by === 'system') {
    // Each system's raters, against everyone who answered: a system rated by few is withheld.
    const tree = suppressGroups(
      { key: '', n: total, children: overallScores.map((s) => ({ key: s.system, n: s.n })) },
      min,
    );
    const items = overallScores.map((s) => {
      const group = tree.children?.find((child) => child.key === s.system);
      return group && !group.withheld
        ? { key: s.system, n: group.n, withheld: false, scores: { [s.system]: overallScore(s) } }
        : {
            key: s.system,
            ...withheld(group?.withheld ? group.reason : WITHHELD_REASONS.tooFew),
            scores: {},
          };
    });
    return { ...head, overall, items };
  }

  const index = BREAKDOWNS.indexOf(by);
  const items = [...groups[by]]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([key, shown]) => {
      if (shown.withheld) return { key, ...shown, scores: {}, infra: {}, distributions: {} };
      const scores: Record<string, unknown> = {};
      for (const s of scoreSums.filter((sums) => sums.key === key)) {
        const figure = shownIn(figures.of(scoreFigure(s.system)), by, key);
        scores[s.system] = figure.withheld
          ? { instrument: s.instrument, ...withheld(figure.reason) }
          : scoreOf(s, min);
      }
      const infra: Record<string, unknown> = {};
      const distributions: Record<string, unknown> = {};
      for (const [item, { disclosure, perGroup, table }] of tables) {
        const figure = shownIn(disclosure, by, key);
        const counts = perGroup[index]?.get(key);
        const row = table.tables[index]?.get(key);
        if (figure.withheld) {
          // A group that gave no answers to the item has nothing to withhold.
          if (rowsOf(byItem, item).some((r) => r[by] === key)) {
            distributions[item] = withheld(figure.reason);
            if (netRuleOf(item)) infra[item] = withheld(figure.reason);
          }
          continue;
        }
        if (!counts || !row) continue;
        distributions[item] = { n: figure.n, ...row };
        const net = netOf(item, counts, row, min);
        if (net) infra[item] = net;
      }
      return { key, ...shown, scores, infra, distributions };
    });
  return { ...head, overall, items };
}

function rowsOf(byItem: ReadonlyMap<string, AnswerCount[]>, item: string): AnswerCount[] {
  return byItem.get(item) ?? [];
}

function answersByItem(answers: readonly AnswerCount[]): Map<string, AnswerCount[]> {
  const byItem = new Map<string, AnswerCount[]>();
  for (const row of answers) {
    if (!itemOfKey(row.item)) continue;
    const rows = byItem.get(row.item) ?? [];
    rows.push(row);
    byItem.set(row.item, rows);
  }
  return new Map([...byItem].sort((a, b) => a[0].localeCompare(b[0])));
}

/** Every option of an item at 0, in the order it is asked. */
function emptyCounts(item: string): Record<string, number> {
  return Object.fromEntries((itemOfKey(item)?.options ?? []).map((option) => [String(option.value), 0]));
}

function optionCounts(item: string, rows: readonly AnswerCount[]): Record<string, number> {
  const counts = emptyCounts(item);
  for (const row of rows) counts[row.value] = (counts[row.value] ?? 0) + row.n;
  return counts;
}

const sumOf = (counts: Readonly<Record<string, number>>) =>
  Object.values(counts).reduce((sum, count) => sum + count, 0);

/** Score sums of every group added up per system. */
function totalScores(sums: ScoreSums[]): ScoreSums[] {
  const bySystem = new Map<string, ScoreSums>();
  for (const s of sums) {
    const total = bySystem.get(s.system) ?? { ...s, key: '', n: 0, sum: 0, squares: 0 };
    total.n += s.n;
    total.sum += s.sum;
    total.squares += s.squares;
    bySystem.set(s.system, total);
  }
  return [...bySystem.values()].sort((a, b) => a.system.localeCompare(b.system));
}

/** Mean score with its 95% t-interval; the SUS grade, or UMUX-Lite's SUS equivalent. */
function scoreOf(s: ScoreSums, min: number) {
  if (s.n < min) return { instrument: s.instrument, ...withheld(WITHHELD_REASONS.tooFew) };
  // At least the minimum group size (10 or more) rated it, so there is an interval.
  const { mean, ci95 } = tIntervalOf(summaryOf(s), [0, 100]) as MeanInterval;
  return {
    instrument: s.instrument,
    n: s.n,
    mean: round(mean),
    ci95: roundInterval(ci95),
    ...(s.instrument === 'sus' ? { grade: susGrade(mean) } : { susEquivalent: round(susEquivalent(mean)) }),
  };
}

/** Which answers an agreement item counts as agree and disagree; undefined for other items. */
function netRuleOf(key: string) {
  const item = itemOfKey(key);
  return item && 'net' in item ? item.net : undefined;
}

/**
 * The net score (% agree − % disagree) of an agreement item with its interval. A net score and its
 * interval give away how many agreed and how many disagreed, so it is withheld when that would
 * reveal an answer count the distribution withholds: a lone withheld answer within agree, disagree
 * or neither, or withheld answers there adding up to fewer than 5.
 */
function netOf(
  item: string,
  counts: Readonly<Record<string, number>>,
  shown: SuppressedOptions | undefined,
  min: number,
) {
  const rule = netRuleOf(item);
  if (!rule) return undefined;
  const answered = sumOf(counts);
  if (answered === 0) return undefined;
  if (answered < min || !shown) return withheld(WITHHELD_REASONS.tooFew);
  const side = (value: number) =>
    rule.agree.includes(value) ? 'agree' : rule.disagree.includes(value) ? 'disagree' : 'neither';
  for (const part of ['agree', 'disagree', 'neither']) {
    const hidden = shown.withheld.filter((option) => side(Number(option)) === part);
    const hiddenCount = hidden.reduce((sum, option) => sum + (counts[option] ?? 0), 0);
    if (hidden.length === 1 || (hidden.length > 1 && hiddenCount < MIN_ANSWER_COUNT)) {
      return withheld(WITHHELD_REASONS.smallAnswers);
    }
  }
  const of = (values: readonly number[]) =>
    values.reduce((sum, value) => sum + (counts[String(value)] ?? 0), 0);
  const net = netScore({ agree: of(rule.agree), disagree: of(rule.disagree), total: answered });
  return net ? { n: net.n, net: round(net.net), ci95: roundInterval(net.ci95) } : undefined;
}
