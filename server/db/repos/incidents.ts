import type { Subject } from '../../access/rules.js';
import type { Severity } from '../../alerts/message.js';
import type {
  Evidence,
  IncidentEvent,
  IncidentRow,
  IncidentsQuery,
  MemberRow,
  NewIncident,
  SeriesRow,
} from '../../store/incidents.js';
import type { Db } from '../open.js';

interface IncidentDbRow {
  id: number;
  rule: string;
  grouping: string;
  severity: Severity;
  organisation: string;
  role: 'owner' | 'host';
  subject_kind: Subject['kind'];
  subject_id: string;
  title: string;
  started_at: number;
  opened_at: number;
  backlog_received_at: number | null;
  in_maintenance: number;
  resolved_at: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  evidence: string;
}

interface ListParameters {
  open: number;
  organisation: string | null;
  check: string | null;
  system: string | null;
  /** The system's checks, as a JSON array. */
  systemChecks: string;
  site: string | null;
  since: number | null;
  until: number | null;
  limit: number;
}

interface SeriesDbRow {
  check_id: string;
  vantage_point: string;
  fails: number;
  oks: number;
  failing: number;
  last_started_at: number;
  streak: string | null;
}

const incidentOf = (row: IncidentDbRow): IncidentRow => ({
  id: String(row.id),
  rule: row.rule,
  grouping: row.grouping,
  severity: row.severity,
  organisation: row.organisation,
  role: row.role,
  subject: { kind: row.subject_kind, id: row.subject_id },
  title: row.title,
  startedAt: row.started_at,
  openedAt: row.opened_at,
  backlogReceivedAt: row.backlog_received_at,
  inMaintenance: row.in_maintenance === 1,
  resolvedAt: row.resolved_at,
  acknowledgedAt: row.acknowledged_at,
  acknowledgedBy: row.acknowledged_by,
  evidence: JSON.parse(row.evidence) as Evidence,
});

const seriesOf = (row: SeriesDbRow): SeriesRow => ({
  checkId: row.check_id,
  vantagePoint: row.vantage_point,
  fails: row.fails,
  oks: row.oks,
  failing: row.failing === 1,
  lastStartedAt: row.last_started_at,
  streak: row.streak === null ? null : (JSON.parse(row.streak) as SeriesRow['streak']),
});

/** An id as stored, or undefined when it cannot be one (so a path like /alerts/x finds nothing). */
function rowId(id: string): number | undefined {
  return /^[1-9]\d{0,15}$/.test(id) ? Number(id) : undefined;
}

/** Incidents, their series and timelines, and the alert rules' counters. */
export function incidentsRepo(db: Db) {
  const insert = db.prepare(`
    INSERT INTO incidents (rule, grouping, severity, organisation, role, subject_kind, subject_id, title,
      started_at, opened_at, backlog_received_at, in_maintenance, evidence)
    VALUES (@rule, @grouping, @severity, @organisation, @role, @subjectKind, @subjectId, @title,
      @startedAt, @openedAt, @backlogReceivedAt, @inMaintenance, @evidence)`);
  const one = db.prepare<[number], IncidentDbRow>('SELECT * FROM incidents WHERE id = ?');
  const open = db.prepare<[], IncidentDbRow>('SELECT * FROM incidents WHERE resolved_at IS NULL ORDER BY id');
  const list = db.prepare<ListParameters, IncidentDbRow>(`
    SELECT * FROM incidents i
    WHERE (@open = 0 OR resolved_at IS NULL)
      AND (@organisation IS NULL OR organisation = @organisation)
      AND (@since IS NULL OR resolved_at IS NULL OR resolved_at >= @since)
      AND (@until IS NULL OR started_at <= @until)
      AND (@check IS NULL OR EXISTS (
        SELECT 1 FROM incident_series s WHERE s.incident_id = i.id AND s.check_id = @check))
      AND (@system IS NULL OR (subject_kind = 'system' AND subject_id = @system) OR EXISTS (
        SELECT 1 FROM incident_series s
        WHERE s.incident_id = i.id AND s.check_id IN (SELECT value FROM json_each(@systemChecks))))
      AND (@site IS NULL OR (subject_kind = 'site' AND subject_id = @site) OR EXISTS (
        SELECT 1 FROM incident_series s WHERE s.incident_id = i.id AND s.vantage_point = @site))
    ORDER BY resolved_at IS NOT NULL, opened_at DESC, id DESC LIMIT @limit`);
  const join = db.prepare(`
    INSERT INTO incident_series (incident_id, check_id, vantage_point, since) VALUES (?, ?, ?, ?)
    ON CONFLICT (incident_id, check_id, vantage_point) DO UPDATE SET left_at = NULL`);
  const leave = db.prepare(
    'UPDATE incident_series SET left_at = ? WHERE incident_id = ? AND check_id = ? AND vantage_point = ? AND left_at IS NULL',
  );
  const members = db.prepare<
    [number],
    { check_id: string; vantage_point: string; since: number; left_at: number | null }
  >('SELECT * FROM incident_series WHERE incident_id = ? ORDER BY since, check_id, vantage_point');
  const event = db.prepare('INSERT INTO incident_events (incident_id, at, kind, detail) VALUES (?, ?, ?, ?)');
  const events = db.prepare<[number], { at: number; kind: IncidentEvent['kind']; detail: string }>(
    'SELECT at, kind, detail FROM incident_events WHERE incident_id = ? ORDER BY seq',
  );
  const acknowledge = db.prepare(
    'UPDATE incidents SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND resolved_at IS NULL AND acknowledged_at IS NULL',
  );
  const allSeries = db.prepare<[], SeriesDbRow>('SELECT * FROM alert_series');
  const saveSeries = db.prepare(`
    INSERT INTO alert_series (check_id, vantage_point, fails, oks, failing, last_started_at, streak)
    VALUES (@checkId, @vantagePoint, @fails, @oks, @failing, @lastStartedAt, @streak)
    ON CONFLICT (check_id, vantage_point) DO UPDATE SET fails = excluded.fails, oks = excluded.oks,
      failing = excluded.failing, last_started_at = excluded.last_started_at, streak = excluded.streak`);
  const dropSeries = db.prepare('DELETE FROM alert_series WHERE check_id = ? AND vantage_point = ?');
  const subject = db.prepare<[number], { subject_kind: Subject['kind']; subject_id: string }>(
    'SELECT subject_kind, subject_id FROM incidents WHERE id = ?',
  );

  const find = (id: string) => {
    const n = rowId(id);
    const row = n === undefined ? undefined : one.get(n);
    return row && incidentOf(row);
  };
  const columns: Record<string, string> = {
    organisation: 'organisation',
    role: 'role',
    severity: 'severity',
    title: 'title',
    grouping: 'grouping',
    resolvedAt: 'resolved_at',
  };

  return {
    open: (incident: NewIncident): string =>
      String(
        insert.run({
          ...incident,
          subjectKind: incident.subject.kind,
          subjectId: incident.subject.id,
          inMaintenance: incident.inMaintenance ? 1 : 0,
          evidence: JSON.stringify(incident.evidence),
        }).lastInsertRowid,
      ),
    update(id: string, change: Partial<IncidentRow>): void {
      const sets: string[] = [];
      const values: Record<string, unknown> = { id: Number(id) };
      for (const [key, column] of Object.entries(columns)) {
        if (!(key in change)) continue;
        sets.push(`${column} = @${key}`);
        values[key] = change[key as keyof IncidentRow];
      }
      if (change.subject) {
        sets.push('subject_kind = @subjectKind', 'subject_id = @subjectId');
        values.subjectKind = change.subject.kind;
        values.subjectId = change.subject.id;
      }
      if (change.evidence) {
        sets.push('evidence = @evidence');
        values.evidence = JSON.stringify(change.evidence);
      }
      if (sets.length > 0) db.prepare(`UPDATE incidents SET ${sets.join(', ')} WHERE id = @id`).run(values);
    },
    join: (id: string, member: Omit<MemberRow, 'leftAt'>) =>
      void join.run(Number(id), member.checkId, member.vantagePoint, member.since),
    leave: (id: string, checkId: string, vantagePoint: string, at: number) =>
      void leave.run(at, Number(id), checkId, vantagePoint),
    event: (id: string, e: IncidentEvent) =>
      void event.run(Number(id), e.at, e.kind, JSON.stringify(e.detail)),
    saveSeries: (rows: readonly SeriesRow[]) => {
      for (const row of rows)
        saveSeries.run({
          ...row,
          failing: row.failing ? 1 : 0,
          streak: row.streak && JSON.stringify(row.streak),
        });
    },
    dropSeries: (checkId: string, vantagePoint: string) => void dropSeries.run(checkId, vantagePoint),
    series: () => allSeries.all().map(seriesOf),
    openIncidents: () => open.all().map(incidentOf),
    incident: find,
    members: (id: string): MemberRow[] => {
      const n = rowId(id);
      return n === undefined
        ? []
        : members.all(n).map((m) => ({
            checkId: m.check_id,
            vantagePoint: m.vantage_point,
            since: m.since,
            leftAt: m.left_at,
          }));
    },
    events: (id: string): IncidentEvent[] => {
      const n = rowId(id);
      return n === undefined
        ? []
        : events.all(n).map((e) => ({ at: e.at, kind: e.kind, detail: JSON.parse(e.detail) }));
    },
    list: (query: IncidentsQuery) =>
      list
        .all({
          open: query.state === 'open' ? 1 : 0,
          organisation: query.organisation ?? null,
          check: query.check ?? null,
          system: query.system ?? null,
          systemChecks: JSON.stringify(query.systemChecks ?? []),
          site: query.site ?? null,
          since: query.since ?? null,
          until: query.until ?? null,
          limit: query.limit,
        })
        .map(incidentOf),
    acknowledge: (id: string, at: number, by: string) => acknowledge.run(at, by, Number(id)).changes > 0,
    subjectOf: (id: string): Subject | undefined => {
      const n = rowId(id);
      const row = n === undefined ? undefined : subject.get(n);
      return row && { kind: row.subject_kind, id: row.subject_id };
    },
  };
}
