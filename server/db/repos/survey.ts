import type { Statement } from 'better-sqlite3';
import type {
  AnswerCount,
  ScoreCell,
  ScoreSums,
  StoredResponse,
  SurveyCell,
  SurveyGrouping,
} from '../../../surveys/counts.js';
import type { Db } from '../open.js';

/** Survey responses and the score of each system rated in them. */
export function surveyRepo(db: Db) {
  const insertResponse = db.prepare(`
    INSERT INTO survey_responses (campaign, day, organisation, site, staff_group, answers, comment, demo)
    VALUES (@campaign, @day, @organisation, @site, @staffGroup, @answers, @comment, @demo)`);
  const addScore = db.prepare(
    `INSERT INTO survey_score_cells (campaign, organisation, site, staff_group, system, instrument, n, sum, squares)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
     ON CONFLICT DO UPDATE SET n = n + 1, sum = sum + excluded.sum, squares = squares + excluded.squares`,
  );
  const countCell = db.prepare(
    `INSERT INTO survey_cells (campaign, organisation, site, staff_group, n) VALUES (?, ?, ?, ?, 1)
     ON CONFLICT DO UPDATE SET n = n + 1`,
  );
  const countAnswer = db.prepare(
    `INSERT INTO survey_answers (campaign, organisation, site, staff_group, item, value, n)
     VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT DO UPDATE SET n = n + 1`,
  );
  const cells = db.prepare<[string], SurveyCell>(
    `SELECT organisation, site, staff_group AS staffGroup, n FROM survey_cells WHERE campaign = ?`,
  );
  const scoreCells = db.prepare<[string], ScoreCell>(
    `SELECT organisation, site, staff_group AS staffGroup, system, instrument, n, sum, squares
     FROM survey_score_cells WHERE campaign = ?`,
  );
  const answerCounts = db.prepare<[string], AnswerCount>(
    `SELECT organisation, site, staff_group AS staffGroup, item, value, n FROM survey_answers WHERE campaign = ?`,
  );
  const itemCounts = db.prepare<[string], { item: string; value: string; n: number }>(
    `SELECT item, value, sum(n) AS n FROM survey_answers WHERE campaign = ? GROUP BY 1, 2`,
  );
  const comments = db.prepare<[string], { site: string; comment: string }>(
    `SELECT site, comment FROM survey_responses WHERE campaign = ? AND comment IS NOT NULL ORDER BY site, comment`,
  );
  const count = db
    .prepare<[string], number>('SELECT count(*) FROM survey_responses WHERE campaign = ?')
    .pluck();
  const demoCount = db
    .prepare<[string], number>('SELECT count(*) FROM survey_responses WHERE campaign = ? AND demo = 1')
    .pluck();

  const groupColumn = {
    organisation: 'organisation',
    site: 'site',
    staffGroup: 'staff_group',
  } as const;
  const statements = new Map<string, Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  return {
    /** Per group and system rated: how many scores, their sum and sum of squares (for means and intervals). */
    scoreSums(campaign: string, by: SurveyGrouping | 'all') {
      const key = by === 'all' ? "''" : groupColumn[by];
      return prepared(
        `SELECT ${key} AS key, system, instrument, sum(n) AS n, sum(sum) AS sum, sum(squares) AS squares
         FROM survey_score_cells WHERE campaign = ? GROUP BY 1, 2, 3`,
      ).all(campaign) as ScoreSums[];
    },
    /** Responses per cell (organisation × site × staff group). */
    cells(campaign: string): SurveyCell[] {
      return cells.all(campaign);
    },
    /** Per cell and system rated: how many scores, their sum and sum of squares. */
    scoreCells(campaign: string): ScoreCell[] {
      return scoreCells.all(campaign);
    },
    /** Per cell, item and answer: how many gave it. */
    answerCounts(campaign: string): AnswerCount[] {
      return answerCounts.all(campaign);
    },
    /** Per item and answer over the whole campaign: how many gave it. */
    itemCounts(campaign: string): { item: string; value: string; n: number }[] {
      return itemCounts.all(campaign);
    },
    /** Each comment with the site it was given about, in order of site then text (never of arrival). */
    comments(campaign: string): { site: string; comment: string }[] {
      return comments.all(campaign);
    },
    /** Adds responses in one transaction: all of them or none. */
    add: db.transaction((responses: StoredResponse[]) => {
      for (const response of responses) {
        insertResponse.run({
          campaign: response.campaign,
          day: response.day,
          organisation: response.organisation,
          site: response.site,
          staffGroup: response.staffGroup,
          answers: JSON.stringify(response.answers),
          comment: response.comment,
          demo: response.demo ? 1 : 0,
        });
        const groups = [
          response.campaign,
          response.organisation,
          response.site,
          response.staffGroup,
        ] as const;
        for (const s of response.scores)
          addScore.run(...groups, s.system, s.instrument, s.score, s.score * s.score);
        countCell.run(...groups);
        for (const [key, items] of Object.entries(response.answers)) {
          const prefix = key === 'infra' ? '' : `${key}/`;
          for (const [item, value] of Object.entries(items))
            countAnswer.run(...groups, `${prefix}${item}`, String(value));
        }
      }
    }),
    count(campaign: string): number {
      return count.get(campaign) ?? 0;
    },
    /** How many of a campaign's responses are generated demo data. */
    demoCount(campaign: string): number {
      return demoCount.get(campaign) ?? 0;
    },
  };
}
