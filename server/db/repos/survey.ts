import type { Statement } from 'better-sqlite3';
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

  const groupColumn = {
    organisation: 'r.organisation',
    site: 'r.site',
    staffGroup: 'r.staff_group',
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
    /** Responses per group (organisation, site or staff group) of a campaign. */
    groupCounts(campaign: string, by: SurveyGrouping): { key: string; n: number }[] {
      return prepared(
        `SELECT ${groupColumn[by]} AS key, count(*) AS n FROM survey_responses r WHERE r.campaign = ? GROUP BY 1`,
      ).all(campaign) as { key: string; n: number }[];
    },
    /** Per group and system rated: how many scores, their sum and sum of squares (for means and intervals). */
    scoreSums(campaign: string, by: SurveyGrouping | 'all') {
      const key = by === 'all' ? "'all'" : groupColumn[by];
      return prepared(
        `SELECT ${key} AS key, s.system, s.instrument, count(*) AS n, sum(s.score) AS sum, sum(s.score * s.score) AS squares
         FROM survey_scores s JOIN survey_responses r ON r.id = s.response_id
         WHERE s.campaign = ? GROUP BY 1, 2, 3`,
      ).all(campaign) as ScoreSums[];
    },
    /**
     * Per group, for each agreement item at a JSON path of the answers: answered (opt-outs are not
     * stored), agree and disagree counts, in one pass over the campaign's responses.
     */
    netCounts(campaign: string, by: SurveyGrouping | 'all', items: NetItem[]) {
      if (items.length === 0) return [];
      const key = by === 'all' ? "'all'" : groupColumn[by];
      const columns = items.flatMap((item, i) => {
        const value = `json_extract(r.answers, '${item.path}')`;
        return [
          `count(${value}) AS answered${i}`,
          `sum(${value} IN (${item.agree.join(', ')})) AS agree${i}`,
          `sum(${value} IN (${item.disagree.join(', ')})) AS disagree${i}`,
        ];
      });
      const rows = prepared(
        `SELECT ${key} AS key, ${columns.join(', ')} FROM survey_responses r WHERE r.campaign = ? GROUP BY 1`,
      ).all(campaign) as Record<string, number | string>[];
      return rows.map((row) => ({
        key: String(row.key),
        items: items.map((item, i) => ({
          id: item.id,
          answered: Number(row[`answered${i}`] ?? 0),
          agree: Number(row[`agree${i}`] ?? 0),
          disagree: Number(row[`disagree${i}`] ?? 0),
        })),
      }));
    },
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

export type SurveyGrouping = 'organisation' | 'site' | 'staffGroup';

export interface ScoreSums {
  key: string;
  system: string;
  instrument: string;
  n: number;
  sum: number;
  squares: number;
}

/** An agreement item to count: its id, where its answer sits in the stored answers, which values agree or disagree. */
export interface NetItem {
  id: string;
  /** A JSON path such as `$.infra."infra.fixedPromptly"`; built from item and system ids only. */
  path: string;
  agree: readonly number[];
  disagree: readonly number[];
}
