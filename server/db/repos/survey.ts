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
  /** Answers to agreement items (net scores), by item key (`epr/infra.available`, `infra.fixedPromptly`). */
  agreement: { item: string; value: number }[];
  demo?: boolean;
}

/** Survey responses and the score of each system rated in them. */
export function surveyRepo(db: Db) {
  const insertResponse = db.prepare(`
    INSERT INTO survey_responses (campaign, day, organisation, site, staff_group, answers, comment, demo)
    VALUES (@campaign, @day, @organisation, @site, @staffGroup, @answers, @comment, @demo)`);
  const insertScore = db.prepare(
    `INSERT INTO survey_scores (response_id, campaign, organisation, site, staff_group, system, instrument, score)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAgreement = db.prepare(
    `INSERT INTO survey_agreement (response_id, campaign, organisation, site, staff_group, item, value)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
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
    /** Responses per group (organisation, site or staff group) of a campaign. */
    groupCounts(campaign: string, by: SurveyGrouping): { key: string; n: number }[] {
      return prepared(
        `SELECT ${groupColumn[by]} AS key, count(*) AS n FROM survey_responses WHERE campaign = ? GROUP BY 1`,
      ).all(campaign) as { key: string; n: number }[];
    },
    /** Per group and system rated: how many scores, their sum and sum of squares (for means and intervals). */
    scoreSums(campaign: string, by: SurveyGrouping | 'all') {
      const key = by === 'all' ? "'all'" : groupColumn[by];
      return prepared(
        `SELECT ${key} AS key, system, instrument, count(*) AS n, sum(score) AS sum, sum(score * score) AS squares
         FROM survey_scores WHERE campaign = ? GROUP BY 1, 2, 3`,
      ).all(campaign) as ScoreSums[];
    },
    /** Per group, agreement item and answer value: how many gave it. */
    agreementCounts(campaign: string, by: SurveyGrouping | 'all') {
      const key = by === 'all' ? "'all'" : groupColumn[by];
      return prepared(
        `SELECT ${key} AS key, item, value, count(*) AS n FROM survey_agreement WHERE campaign = ? GROUP BY 1, 2, 3`,
      ).all(campaign) as { key: string; item: string; value: number; n: number }[];
    },
    /** For each item of a system's instrument: how many answered, the sum and sum of squares. */
    itemSums(campaign: string, system: string, items: readonly string[]) {
      const columns = items.flatMap((item, i) => {
        const value = `json_extract(answers, '$."${system}".${item}')`;
        return [
          `count(${value}) AS n${i}`,
          `total(${value}) AS sum${i}`,
          `total(${value} * ${value}) AS squares${i}`,
        ];
      });
      const row = prepared(`SELECT ${columns.join(', ')} FROM survey_responses WHERE campaign = ?`).get(
        campaign,
      ) as Record<string, number>;
      return items.map((item, i) => ({
        item,
        n: row[`n${i}`] ?? 0,
        sum: row[`sum${i}`] ?? 0,
        squares: row[`squares${i}`] ?? 0,
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
        const groups = [
          response.campaign,
          response.organisation,
          response.site,
          response.staffGroup,
        ] as const;
        for (const s of response.scores) insertScore.run(id, ...groups, s.system, s.instrument, s.score);
        for (const a of response.agreement) insertAgreement.run(id, ...groups, a.item, a.value);
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

export type SurveyGrouping = 'organisation' | 'site' | 'staffGroup';

export interface ScoreSums {
  key: string;
  system: string;
  instrument: string;
  n: number;
  sum: number;
  squares: number;
}
