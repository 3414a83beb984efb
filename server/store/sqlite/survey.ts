import type { StoredResponse, SurveyGrouping } from '../../../surveys/counts.js';
import type { Db } from '../../db/open.js';
import { surveyRepo } from '../../db/repos/survey.js';
import type { SurveyStore } from '../survey.js';
import type { WriteHealth } from './writes.js';

export class SqliteSurveyStore implements SurveyStore {
  readonly #writes: WriteHealth;
  readonly #survey;

  constructor(db: Db, writes: WriteHealth) {
    this.#writes = writes;
    this.#survey = surveyRepo(db);
  }

  async addResponses(responses: StoredResponse[]): Promise<void> {
    this.#writes.run(() => this.#survey.add(responses));
  }

  async scoreSums(campaign: string, by: SurveyGrouping | 'all') {
    return this.#survey.scoreSums(campaign, by);
  }

  async scoreCells(campaign: string) {
    return this.#survey.scoreCells(campaign);
  }

  async cells(campaign: string) {
    return this.#survey.cells(campaign);
  }

  async answerCounts(campaign: string) {
    return this.#survey.answerCounts(campaign);
  }

  async itemCounts(campaign: string) {
    return this.#survey.itemCounts(campaign);
  }

  async comments(campaign: string) {
    return this.#survey.comments(campaign);
  }

  async demoCount(campaign: string): Promise<number> {
    return this.#survey.demoCount(campaign);
  }

  async responseCount(campaign: string): Promise<number> {
    return this.#survey.count(campaign);
  }
}
