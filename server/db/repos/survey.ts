import type { Db } from '../open.js';

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

/** Survey responses and the score of each system rated in them. */
export function surveyRepo(db: Db) {
  const insertResponse = db.prepare(`
    INSERT INTO survey_responses (campaign, day, organisation, site, staff_group, answers, comment, demo)
    VALUES (@campaign, @day, @organisation, @site, @staffGroup, @answers, @comment, @demo)`);
  const insertScore = db.prepare(
    'INSERT INTO survey_scores (response_id, campaign, system, instrument, score) VALUES (?, ?, ?, ?, ?)',
  );
  const count = db
    .prepare<[string], number>('SELECT count(*) FROM survey_responses WHERE campaign = ?')
    .pluck();

  return {
    /** Adds responses in one transaction: all of them or none. */
    add: db.transaction((responses: StoredResponse[]) => {
      for (const response of responses) {
        const id = insertResponse.run({
          campaign: response.campaign,
          day: response.day,
          organisation: response.organisation,
          site: response.site,
          staffGroup: response.staffGroup,
          answers: JSON.stringify(response.answers),
          comment: response.comment,
          demo: response.demo ? 1 : 0,
        }).lastInsertRowid;
        for (const s of response.scores)
          insertScore.run(id, response.campaign, s.system, s.instrument, s.score);
      }
    }),
    count(campaign: string): number {
      return count.get(campaign) ?? 0;
    },
  };
}
