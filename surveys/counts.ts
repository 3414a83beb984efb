/**
 * The data survey figures are made from, as the server reads it from storage and hands it over:
 * responses as kept, and counts and sums per cell of organisation × site × staff group. Nothing
 * here knows where they are kept.
 */

/** One response as it is kept: nothing that identifies the respondent, the date to the day. */
export interface StoredResponse {
  campaign: string;
  /** YYYY-MM-DD, Europe/London. */
  day: string;
  organisation: string;
  site: string;
  staffGroup: string;
  /** Answers by system id (and `infra`), item id → value. */
  answers: Record<string, Record<string, number | string>>;
  /** Redacted before it gets here. */
  comment: string | null;
  /** Each rated system's score on its instrument. */
  scores: { system: string; instrument: string; score: number }[];
  demo?: boolean;
}

/** How many responses fell in one cell of organisation × site × staff group. */
export interface SurveyCell {
  organisation: string;
  site: string;
  staffGroup: string;
  n: number;
}

/** How many in one cell gave one answer (`value`, as text) to one item (`epr/sus1`, `infra.timeLost`). */
export interface AnswerCount extends SurveyCell {
  item: string;
  value: string;
}

/** The scores one cell gave one system: how many, their sum and sum of squares. */
export interface ScoreCell extends SurveyCell {
  system: string;
  instrument: string;
  sum: number;
  squares: number;
}

export type SurveyGrouping = 'organisation' | 'site' | 'staffGroup';

export interface ScoreSums {
  key: string;
  system: string;
  instrument: string;
  n: number;
  sum: number;
  squares: number;
}

/** How many gave one answer to one item over a whole campaign. */
export interface ItemCount {
  item: string;
  value: string;
  n: number;
}

/** One comment and the site it was given about. */
export interface SiteComment {
  site: string;
  comment: string;
}
