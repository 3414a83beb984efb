import type {
  AnswerCount,
  ItemCount,
  ScoreCell,
  ScoreSums,
  SiteComment,
  StoredResponse,
  SurveyCell,
  SurveyGrouping,
} from '../../surveys/counts.js';

/**
 * Survey responses, and the counts per cell of organisation × site × staff group kept as each is
 * stored. Its rows are the data the pure survey code works on, so their types live in surveys/.
 */
export interface SurveyStore {
  /** Keeps responses, all or none. */
  addResponses(responses: StoredResponse[]): Promise<void>;
  /** Per group and system: count, sum and sum of squares of the scores. */
  scoreSums(campaign: string, by: SurveyGrouping | 'all'): Promise<ScoreSums[]>;
  /** Per cell and system: count, sum and sum of squares of the scores. */
  scoreCells(campaign: string): Promise<ScoreCell[]>;
  /** Responses per cell of a campaign. */
  cells(campaign: string): Promise<SurveyCell[]>;
  /** Per cell, item and answer: how many gave it. */
  answerCounts(campaign: string): Promise<AnswerCount[]>;
  /** Per item and answer over a whole campaign: how many gave it. */
  itemCounts(campaign: string): Promise<ItemCount[]>;
  /** A campaign's comments with their sites, ordered by site and text. */
  comments(campaign: string): Promise<SiteComment[]>;
  /** How many of a campaign's responses are generated demo data. */
  demoCount(campaign: string): Promise<number>;
  /** How many responses a campaign has. */
  responseCount(campaign: string): Promise<number>;
}
