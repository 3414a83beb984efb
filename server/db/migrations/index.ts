import { sql as estate } from './0001-estate.js';
import { sql as results } from './0002-results.js';
import { sql as timeOrder } from './0003-time-order.js';
import { sql as spans } from './0004-spans.js';
import { sql as agents } from './0005-agents.js';
import { sql as survey } from './0006-survey.js';
import { sql as surveyCounts } from './0007-survey-counts.js';
import { sql as access } from './0008-access.js';
import { sql as timeline } from './0009-timeline.js';
import { sql as maintenance } from './0010-maintenance.js';
import { sql as certificates } from './0011-certificates.js';
import { sql as demoHistory } from './0012-demo-history.js';
import { sql as reports } from './0013-reports.js';
import { sql as latencyKept } from './0014-latency-kept.js';
import { sql as notifications } from './0015-notifications.js';
import { sql as incidents } from './0016-incidents.js';
import { sql as held } from './0017-held.js';
import { sql as supersededRefreshes } from './0018-superseded-refreshes.js';
import { sql as latencyKeptBytes } from './0019-latency-kept-bytes.js';
import { sql as latencyMonthsByCheck } from './0020-latency-months-by-check.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every schema change in order; a migration, once released, is never edited. */
export const migrations: Migration[] = [
  { version: 1, name: 'estate', sql: estate },
  { version: 2, name: 'results', sql: results },
  { version: 3, name: 'time-order', sql: timeOrder },
  { version: 4, name: 'spans', sql: spans },
  { version: 5, name: 'agents', sql: agents },
  { version: 6, name: 'survey', sql: survey },
  { version: 7, name: 'survey-counts', sql: surveyCounts },
  { version: 8, name: 'access', sql: access },
  { version: 9, name: 'timeline', sql: timeline },
  { version: 10, name: 'maintenance', sql: maintenance },
  { version: 11, name: 'certificates', sql: certificates },
  { version: 12, name: 'demo-history', sql: demoHistory },
  { version: 13, name: 'reports', sql: reports },
  { version: 14, name: 'latency-kept', sql: latencyKept },
  { version: 15, name: 'notifications', sql: notifications },
  { version: 16, name: 'incidents', sql: incidents },
  { version: 17, name: 'held-notifications', sql: held },
  { version: 18, name: 'superseded-refreshes', sql: supersededRefreshes },
  { version: 19, name: 'latency-kept-bytes', sql: latencyKeptBytes },
  { version: 20, name: 'latency-months-by-check', sql: latencyMonthsByCheck },
];

// The last migration's number, not the count: numbers are reserved per part of the work, so one may land first.
export const latestVersion = migrations[migrations.length - 1]?.version ?? 0;
