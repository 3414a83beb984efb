/**
 * Survey responses. Nothing that identifies a respondent is kept: no name, address, browser or
 * token, and the date only to the day. Each system's score and each agreement answer (for net
 * scores) is kept beside the response with its groups, so results for a campaign of 100,000
 * responses are sums in SQL, not a pass over JSON.
 */
export const sql = `
CREATE TABLE survey_responses (
  id INTEGER PRIMARY KEY,
  campaign TEXT NOT NULL,
  day TEXT NOT NULL,
  organisation TEXT NOT NULL,
  site TEXT NOT NULL,
  staff_group TEXT NOT NULL,
  answers TEXT NOT NULL,
  comment TEXT,
  demo INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX survey_responses_site ON survey_responses (campaign, site);
CREATE INDEX survey_responses_organisation ON survey_responses (campaign, organisation);
CREATE INDEX survey_responses_staff_group ON survey_responses (campaign, staff_group);

CREATE TABLE survey_scores (
  response_id INTEGER NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
  campaign TEXT NOT NULL,
  organisation TEXT NOT NULL,
  site TEXT NOT NULL,
  staff_group TEXT NOT NULL,
  system TEXT NOT NULL,
  instrument TEXT NOT NULL,
  score REAL NOT NULL,
  PRIMARY KEY (response_id, system)
) STRICT, WITHOUT ROWID;
-- Covering indexes in each grouping's order: results are read in order, with no sort.
CREATE INDEX survey_scores_site ON survey_scores (campaign, site, system, instrument, score);
CREATE INDEX survey_scores_organisation ON survey_scores (campaign, organisation, system, instrument, score);
CREATE INDEX survey_scores_staff_group ON survey_scores (campaign, staff_group, system, instrument, score);

CREATE TABLE survey_agreement (
  response_id INTEGER NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
  campaign TEXT NOT NULL,
  organisation TEXT NOT NULL,
  site TEXT NOT NULL,
  staff_group TEXT NOT NULL,
  item TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (response_id, item)
) STRICT, WITHOUT ROWID;
CREATE INDEX survey_agreement_site ON survey_agreement (campaign, site, item, value);
CREATE INDEX survey_agreement_organisation ON survey_agreement (campaign, organisation, item, value);
CREATE INDEX survey_agreement_staff_group ON survey_agreement (campaign, staff_group, item, value);
`;
