/** Scoring the standard instruments, per respondent, as their authors define it. */
import {
  type InstrumentId,
  instrumentItems,
  instruments,
  type SusItemId,
  type UmuxItemId,
} from './instruments.js';

export type SusAnswers = Readonly<Record<SusItemId, 1 | 2 | 3 | 4 | 5>>;
export type UmuxLiteAnswers = Readonly<Record<UmuxItemId, 1 | 2 | 3 | 4 | 5 | 6 | 7>>;

const SUS_ODD = ['sus1', 'sus3', 'sus5', 'sus7', 'sus9'] as const;
const SUS_EVEN = ['sus2', 'sus4', 'sus6', 'sus8', 'sus10'] as const;

/** 0–100 in steps of 2.5 (not a percentage): odd items r − 1, even items 5 − r, sum × 2.5. */
export function susScore(answers: SusAnswers): number {
  let sum = 0;
  for (const id of SUS_ODD) sum += answers[id] - 1;
  for (const id of SUS_EVEN) sum += 5 - answers[id];
  return sum * 2.5;
}

/** 0–100: ((r1 − 1) + (r2 − 1)) / 12 × 100. */
export function umuxLiteScore(answers: UmuxLiteAnswers): number {
  return ((answers.umux1 - 1 + (answers.umux2 - 1)) / 12) * 100;
}

/** The SUS a UMUX-Lite score predicts (Lewis et al. 2013); show only as a labelled secondary figure. */
export function susEquivalent(umuxLite: number): number {
  return 0.65 * umuxLite + 22.9;
}

/** Grades use ASCII '-' so they survive CSV, URLs and keyboards unchanged. */
export type SusGrade = 'A+' | 'A' | 'A-' | 'B+' | 'B' | 'B-' | 'C+' | 'C' | 'C-' | 'D' | 'F';

/**
 * The Sauro–Lewis curved grading scale. Each band's listed lower bound is a threshold and a score
 * takes the highest grade whose threshold it reaches, so a mean between two listed ranges (84.05) takes
 * the lower grade (A): it has not reached 84.1. Means are graded unrounded.
 */
const GRADES: readonly (readonly [threshold: number, grade: SusGrade])[] = [
  [84.1, 'A+'],
  [80.8, 'A'],
  [78.9, 'A-'],
  [77.2, 'B+'],
  [74.1, 'B'],
  [72.6, 'B-'],
  [71.1, 'C+'],
  [65.0, 'C'],
  [62.7, 'C-'],
  [51.7, 'D'],
];

export function susGrade(score: number): SusGrade {
  if (!(score >= 0 && score <= 100)) throw new RangeError(`A SUS score is 0–100, not ${score}`);
  for (const [threshold, grade] of GRADES) if (score >= threshold) return grade;
  return 'F';
}

export interface AnswerProblem {
  item: string;
  problem: 'missing' | 'out_of_range' | 'unknown';
  message: string;
}

/**
 * Problems with one respondent's answers to one instrument, which is answered whole or not at all:
 * every item needs a whole number on the instrument's scale, and nothing else may be there.
 */
export function validateAnswers(
  instrumentId: InstrumentId,
  answers: Readonly<Record<string, unknown>>,
): AnswerProblem[] {
  const items = instrumentItems(instrumentId);
  const [min, max] = instruments[instrumentId].scale;
  const problems: AnswerProblem[] = [];
  for (const { id } of items) {
    const value = answers[id];
    if (value === undefined || value === null) {
      problems.push({ item: id, problem: 'missing', message: `${id} is not answered` });
    } else if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
      problems.push({
        item: id,
        problem: 'out_of_range',
        message: `${id} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`,
      });
    }
  }
  const known = new Set<string>(items.map((item) => item.id));
  for (const id of Object.keys(answers)) {
    if (!known.has(id)) {
      problems.push({ item: id, problem: 'unknown', message: `${id} is not an item of ${instrumentId}` });
    }
  }
  return problems;
}
