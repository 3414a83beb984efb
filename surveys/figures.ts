import type { AnswerCount, ScoreCell } from './counts.js';
import {
  allAlike,
  type Cell,
  type Disclosure,
  discloseBreakdowns,
  type Withholdings,
  withheldGroups,
} from './disclosure.js';
import { WITHHELD_REASONS } from './privacy.js';
import { noSpread } from './stats.js';

/** The figure of a system's score, decided apart from its items' answers. */
export const scoreFigure = (system: string) => `score:${system}`;

/**
 * Each figure's own disclosure, over the people who gave it: an item's answerers, or a system's
 * raters, with whether each cell's people all gave one answer (one score, for a score). Groups
 * withheld as a whole stay withheld. Figures with the same cells share one decision.
 */
export function figureDisclosures(
  byItem: ReadonlyMap<string, AnswerCount[]>,
  scoreCells: readonly ScoreCell[],
  groups: Disclosure,
  min: number,
) {
  const already: Withholdings = withheldGroups(groups, WITHHELD_REASONS.withinWithheld);
  const decided = new Map<string, Disclosure>();
  const cellsOf = new Map<string, Cell[]>();
  const figureCells = (figure: string): Cell[] => {
    let cells = cellsOf.get(figure);
    if (!cells) {
      cells = figure.startsWith('score:')
        ? scoreCells.filter((c) => `score:${c.system}` === figure).map(scoreCellOf)
        : answerCells(byItem.get(figure) ?? []);
      cells.sort((a, b) => cellKey(a).localeCompare(cellKey(b)));
      cellsOf.set(figure, cells);
    }
    return cells;
  };
  return {
    of(figure: string): Disclosure {
      const cells = figureCells(figure);
      const signature = cells.map((c) => `${cellKey(c)}\u0000${c.n}\u0000${c.alike ?? ''}`).join('\u0001');
      let disclosure = decided.get(signature);
      if (!disclosure) {
        disclosure = discloseBreakdowns(cells, min, already);
        decided.set(signature, disclosure);
      }
      return disclosure;
    },
    /** Whether everyone who gave the figure gave the same answer. */
    alike: (figure: string) => allAlike(figureCells(figure)),
  };
}

const cellKey = (cell: Cell) => `${cell.organisation}\u0000${cell.site}\u0000${cell.staffGroup}`;

/** An item's answerers per cell, and the one answer each cell gave if its people agree. */
function answerCells(rows: readonly AnswerCount[]): Cell[] {
  const cells = new Map<string, { row: AnswerCount; n: number; alike: string | null | undefined }>();
  for (const row of rows) {
    const key = cellKey(row);
    const kept = cells.get(key);
    const answer = row.n > 0 ? row.value : undefined;
    if (!kept) cells.set(key, { row, n: row.n, alike: answer });
    else {
      kept.n += row.n;
      if (answer !== undefined)
        kept.alike = kept.alike === undefined || kept.alike === answer ? answer : null;
    }
  }
  return [...cells.values()].map(({ row, n, alike }) => ({
    organisation: row.organisation,
    site: row.site,
    staffGroup: row.staffGroup,
    n,
    alike: alike ?? null,
  }));
}

/** A system's raters in one cell; their one score when they all gave the same. */
function scoreCellOf(c: ScoreCell): Cell {
  return {
    organisation: c.organisation,
    site: c.site,
    staffGroup: c.staffGroup,
    n: c.n,
    alike: noSpread(c) ? (c.sum / c.n).toFixed(6) : null,
  };
}
