/**
 * Survey responses. Nothing that identifies a respondent is kept: no name, address, browser or
 * token, and the date only to the day. Each system a respondent rated has its score kept beside the
 * response, so results for a campaign of 100,000 responses are sums in SQL, not a pass over JSON.
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
CREATE INDEX survey_responses_campaign ON survey_responses (campaign, site);

CREATE TABLE survey_scores (
  response_id INTEGER NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
  campaign TEXT NOT NULL,
  system TEXT NOT NULL,
  instrument TEXT NOT NULL,
  score REAL NOT NULL,
  PRIMARY KEY (response_id, system)
) STRICT, WITHOUT ROWID;
CREATE INDEX survey_scores_campaign ON survey_scores (campaign, system);
`;
