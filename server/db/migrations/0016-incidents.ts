/**
 * Alerts: incidents with the series (check, vantage point) each covers and its timeline, and the alert
 * rules' per-series counters. The counters are kept here rather than rebuilt from the latest runs at a
 * start: they are written in the same transaction as the incidents they open or resolve, so a restart
 * (even kill -9) finds both in step and neither reopens nor forgets an incident. Times are UTC ms.
 * At most one open incident per grouping (`system:epr`, `site:marsh-lane`, `agent:marsh-lane`,
 * `certificate:epr-login`).
 */
export const sql = `
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  rule TEXT NOT NULL,
  grouping TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
  organisation TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('owner', 'host')),
  subject_kind TEXT NOT NULL CHECK (subject_kind IN ('system', 'site')),
  subject_id TEXT NOT NULL,
  title TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  opened_at INTEGER NOT NULL,
  backlog_received_at INTEGER,
  in_maintenance INTEGER NOT NULL DEFAULT 0,
  resolved_at INTEGER,
  acknowledged_at INTEGER,
  acknowledged_by TEXT,
  evidence TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX incidents_open_grouping ON incidents (grouping) WHERE resolved_at IS NULL;
CREATE INDEX incidents_opened ON incidents (opened_at);
CREATE INDEX incidents_organisation ON incidents (organisation, opened_at);

CREATE TABLE incident_series (
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  check_id TEXT NOT NULL,
  vantage_point TEXT NOT NULL,
  since INTEGER NOT NULL,
  left_at INTEGER,
  PRIMARY KEY (incident_id, check_id, vantage_point)
) STRICT;

CREATE TABLE incident_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL
) STRICT;
CREATE INDEX incident_events_incident ON incident_events (incident_id, seq);

CREATE TABLE alert_series (
  check_id TEXT NOT NULL,
  vantage_point TEXT NOT NULL,
  fails INTEGER NOT NULL,
  oks INTEGER NOT NULL,
  failing INTEGER NOT NULL,
  last_started_at INTEGER NOT NULL,
  streak TEXT,
  PRIMARY KEY (check_id, vantage_point)
) STRICT;
`;
