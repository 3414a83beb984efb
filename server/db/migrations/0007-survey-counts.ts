/**
 * Survey answers kept as counts per cell (organisation × site × staff group): how many responses
 * fell in each cell, how many gave each answer to each item there, and each system's scores there
 * (count, sum, sum of squares). Every breakdown's counts, distributions, net scores and mean scores
 * are then sums over a few hundred cells rather than passes over every response, and the privacy
 * rules can compare breakdowns of the same people (by organisation against by site). They replace
 * the per-response score and agreement tables, and are filled from them and the responses as kept.
 */
export const sql = `
CREATE TABLE survey_cells (
  campaign TEXT NOT NULL,
  organisation TEXT NOT NULL,
  site TEXT NOT NULL,
  staff_group TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (campaign, organisation, site, staff_group)
) STRICT, WITHOUT ROWID;

-- item: '<system>/<item id>' for questions asked per system, '<item id>' for the site's questions.
-- value: the option's value as text ('4', 'under-10s').
CREATE TABLE survey_answers (
  campaign TEXT NOT NULL,
  organisation TEXT NOT NULL,
  site TEXT NOT NULL,
  staff_group TEXT NOT NULL,
  item TEXT NOT NULL,
  value TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (campaign, organisation, site, staff_group, item, value)
) STRICT, WITHOUT ROWID;

CREATE TABLE survey_score_cells (
  campaign TEXT NOT NULL,
  organisation TEXT NOT NULL,
  site TEXT NOT NULL,
  staff_group TEXT NOT NULL,
  system TEXT NOT NULL,
  instrument TEXT NOT NULL,
  n INTEGER NOT NULL,
  sum REAL NOT NULL,
  squares REAL NOT NULL,
  PRIMARY KEY (campaign, organisation, site, staff_group, system, instrument)
) STRICT, WITHOUT ROWID;

INSERT INTO survey_score_cells (campaign, organisation, site, staff_group, system, instrument, n, sum, squares)
SELECT campaign, organisation, site, staff_group, system, instrument, count(*), sum(score), sum(score * score)
FROM survey_scores GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO survey_cells (campaign, organisation, site, staff_group, n)
SELECT campaign, organisation, site, staff_group, count(*)
FROM survey_responses GROUP BY 1, 2, 3, 4;

INSERT INTO survey_answers (campaign, organisation, site, staff_group, item, value, n)
SELECT r.campaign, r.organisation, r.site, r.staff_group,
       CASE WHEN s.key = 'infra' THEN a.key ELSE s.key || '/' || a.key END,
       CAST(a.value AS TEXT), count(*)
FROM survey_responses r, json_each(r.answers) s, json_each(s.value) a
GROUP BY 1, 2, 3, 4, 5, 6;

DROP TABLE survey_agreement;
DROP TABLE survey_scores;
DROP INDEX survey_responses_site;
DROP INDEX survey_responses_organisation;
DROP INDEX survey_responses_staff_group;
-- What the responses table is still asked: how many, how many are demo data, and the comments.
CREATE INDEX survey_responses_demo ON survey_responses (campaign, demo);
`;
