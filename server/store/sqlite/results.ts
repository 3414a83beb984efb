import { hourOf, londonDayOf } from '../../../common/calendar.js';
import type { Stretch } from '../../../principles/timeline.js';
import { type RunRecord, resultObject, SERVER_VANTAGE_POINT } from '../../../runs/record.js';
import type { Db } from '../../db/open.js';
import { certificatesRepo, monthOfDay } from '../../db/repos/certificates.js';
import { keysRepo } from '../../db/repos/keys.js';
import { latestRepo } from '../../db/repos/latest.js';
import { resultsRepo } from '../../db/repos/results.js';
import { type Resolution, rollupsRepo } from '../../db/repos/rollups.js';
import { type SpanRow, spansRepo } from '../../db/repos/spans.js';
import { timelineRepo } from '../../db/repos/timeline.js';
import { earliestExpiry } from '../../results/certificate-expiry.js';
import { RollupAccumulator } from '../../rollups/accumulator.js';
import { addRun, emptyRollup, mergeRollups, type Rollup } from '../../rollups/rollup.js';
import { TimelineWriter } from '../../timeline/writer.js';
import type {
  CertificatesSeen,
  PhaseSlice,
  RecordReport,
  ResultPage,
  ResultsQuery,
  ResultsStore,
  RollupSlice,
  TimedRun,
} from '../results.js';
import { SqliteLatencyKept } from './latency-kept.js';
import type { WriteHealth } from './writes.js';

/** Results, latest results and rollups in SQLite: the store that grows with time. */
/** Checks whose timelines are read in one turn of the event loop (some 100 ms for a year of them). */
const TIMELINE_CHECKS_A_TURN = 1_000;

export class SqliteResultsStore implements ResultsStore {
  readonly #writes: WriteHealth;
  readonly #sql;
  readonly latencyKept: SqliteLatencyKept;

  constructor(db: Db, writes: WriteHealth) {
    this.#writes = writes;
    this.#sql = resultsSql(db);
    this.latencyKept = this.#sql.latencyKept(writes);
  }

  async recordRuns(runs: RunRecord[]): Promise<RecordReport> {
    return this.#writes.run(() => this.#sql.record(runs));
  }

  async latestResultsAll() {
    return this.#sql.latestAll();
  }

  async latestResults(checkId: string) {
    return this.#sql.latest(checkId);
  }

  async firstRunAt(checkId: string, vantagePoint: string, from: number, to: number) {
    return this.#sql.firstRunAt(checkId, vantagePoint, from, to);
  }

  async listResults(checkId: string, query: ResultsQuery): Promise<ResultPage> {
    return this.#sql.list(checkId, query);
  }

  async totalTimes(checkId: string, from: number, to: number): Promise<TimedRun[]> {
    return this.#sql.totalTimes(checkId, from, to);
  }

  async rollups(checkId: string, resolution: Resolution, from: number, to: number) {
    return this.#sql.rollups(checkId, resolution, from, to);
  }

  async hourlyPhases(checkId: string, from: number, to: number, weekMask?: string) {
    return this.#sql.hourlyPhases(checkId, from, to, weekMask);
  }

  async spanRollups(checkId: string, firstDay: number, endDay: number) {
    return this.#sql.spanRollups(checkId, firstDay, endDay);
  }

  async refreshSpans(firstDay: number, endDay: number, limit: number): Promise<number> {
    return this.#writes.run(() => this.#sql.refreshSpans(firstDay, endDay, limit));
  }

  async backfillTimeline(limit: number): Promise<boolean> {
    return this.#writes.run(() => this.#sql.backfillTimeline(limit));
  }

  async timeline(checkId: string, from: number, to: number) {
    return this.#sql.timeline(checkId, from, to);
  }

  async certificates(from: number, to: number) {
    return this.#sql.certificates(from, to);
  }

  /**
   * Read a few hundred checks at a time, with a turn of the event loop between: a year of every check
   * takes seconds, and probes and requests must not wait for it.
   */
  async timelines(from: number, to: number, visit: (checkId: string, byVp: Map<string, Stretch[]>) => void) {
    const last = this.#sql.lastCheck();
    for (let first = 0; first <= last; first += TIMELINE_CHECKS_A_TURN) {
      if (first > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      this.#sql.timelines(from, to, [first, first + TIMELINE_CHECKS_A_TURN], visit);
    }
  }

  async pruneBatch(before: { raw: number; hourlyBucket: number }, limit: number) {
    return this.#writes.run(() => this.#sql.prune(before, limit));
  }
}

function resultsSql(db: Db) {
  const results = resultsRepo(db);
  const latest = latestRepo(db);
  const rollups = { hourly: rollupsRepo(db, 'hourly'), daily: rollupsRepo(db, 'daily') };
  const spans = spansRepo(db);
  const keys = keysRepo(db);
  const checks = knownChecks(keys);
  const checkKey = { get: checks.key };
  const siteKey = remembered(keys.siteKey);
  const siteId = remembered(keys.siteId);
  const checkId = checks.id;

  const timeline = new TimelineWriter(db);
  let kept: SqliteLatencyKept | undefined;
  const certificates = certificatesRepo(db);
  const vpKey = (vantagePoint: string) => (vantagePoint === SERVER_VANTAGE_POINT ? 0 : siteKey(vantagePoint));
  const vpId = (vp: number) => (vp === 0 ? SERVER_VANTAGE_POINT : (siteId(vp) ?? `site#${vp}`));

  const record = db.transaction((records: RunRecord[]): RecordReport => {
    const report: RecordReport = { stored: 0, fresh: [], duplicates: 0, unknown: 0 };
    const pending = { hourly: new Map<string, Pending>(), daily: new Map<string, Pending>() };
    // Only the newest run of each series in the batch can be its latest: one write each, not one per run.
    const newestOf = new Map<string, { check: number; vp: number; run: RunRecord }>();
    for (const run of records) {
      const check = checkKey.get(run.checkId);
      const vp = vpKey(run.vantagePoint);
      if (check === undefined || vp === undefined) {
        report.unknown += 1;
        continue;
      }
      if (!results.insert(check, vp, run)) {
        report.duplicates += 1;
        continue;
      }
      report.stored += 1;
      report.fresh.push(run);
      // Kept beside the runs in the same transaction, so any run stored, however old, is counted once.
      const notAfter = earliestExpiry(run.details);
      if (notAfter !== undefined)
        certificates.see(monthOfDay(londonDayOf(run.startedAt)), check, vp, notAfter, run.startedAt);
      if (run.state !== 'skipped') {
        const key = `${check}:${vp}`;
        const newest = newestOf.get(key);
        if (!newest || run.startedAt > newest.run.startedAt) newestOf.set(key, { check, vp, run });
      }
      if (run.state !== 'skipped') timeline.add(check, vp, run.startedAt);
      addPending(pending.hourly, check, vp, hourOf(run.startedAt), run);
      addPending(pending.daily, check, vp, londonDayOf(run.startedAt), run);
    }
    for (const { check, vp, run } of newestOf.values())
      latest.put(check, vp, run.startedAt, resultObject(run));
    // The timeline in the same transaction as the runs: it never lags or leads what is stored.
    timeline.write();
    // One read-merge-write per touched bucket, so a late result updates the hour and day it belongs to.
    for (const resolution of ['hourly', 'daily'] as const) {
      for (const { check, vp, bucket, rollup: added } of pending[resolution].values()) {
        const stored = rollups[resolution].get(check, vp, bucket);
        rollups[resolution].put(check, vp, bucket, stored ? mergeRollups(stored, added) : added);
      }
    }
    // A span holds all of a check's vantage points: one unmark per (check, day) makes it stale.
    const touchedDays = new Map<string, { check: number; day: number }>();
    for (const { check, bucket } of pending.daily.values())
      touchedDays.set(`${check}:${bucket}`, { check, day: bucket });
    for (const { check, day } of touchedDays.values()) {
      spans.unmarkDay(check, day);
      kept?.forgetDay(check, day);
    }
    return report;
  });

  /** Merges a check's daily rollups over the span per vantage point and keeps the merge. */
  const mergeSpan = (check: number, firstDay: number, endDay: number) => {
    const byVp = new Map<number, { first: number; merged: RollupAccumulator }>();
    // Oldest first, so a vantage point's first row is its first day.
    for (const { vp, ...row } of rollups.daily.range(check, firstDay, endDay)) {
      const mine = byVp.get(vp) ?? { first: row.bucket, merged: new RollupAccumulator() };
      byVp.set(vp, { first: mine.first, merged: mine.merged.add(row) });
    }
    const rows: SpanRow[] = [...byVp].map(([vp, { first, merged }]) => ({
      vp,
      firstDay: first,
      ...merged.toRow(),
    }));
    spans.write(check, firstDay, endDay, rows);
    return rows;
  };

  const stretches = timelineRepo(db);
  return {
    record,
    latencyKept(writes: WriteHealth): SqliteLatencyKept {
      kept = new SqliteLatencyKept(
        db,
        writes,
        { checkKey: (id) => checkKey.get(id), checkId, vpId },
        rollups.hourly,
      );
      return kept;
    },
    backfillTimeline: db.transaction((limit: number) => timeline.backfill(limit)),
    timeline(checkId: string, from: number, to: number) {
      const byVp = new Map<string, Stretch[]>();
      const check = checkKey.get(checkId);
      if (check === undefined) return byVp;
      for (const [vp, list] of stretches.forCheck(check, from, to)) byVp.set(vpId(vp), list);
      return byVp;
    },
    certificates(from: number, to: number): Map<string, CertificatesSeen> {
      const byCheck = new Map<string, CertificatesSeen>();
      if (to <= from) return byCheck;
      for (const { check, vp, ...seen } of certificates.seen(from, to)) {
        const id = checkId(check);
        if (id === undefined) continue;
        let byVp = byCheck.get(id);
        if (!byVp) {
          byVp = new Map();
          byCheck.set(id, byVp);
        }
        const vantagePoint = vpId(vp);
        const list = byVp.get(vantagePoint);
        if (list) list.push(seen);
        else byVp.set(vantagePoint, [seen]);
      }
      return byCheck;
    },
    lastCheck: () => stretches.lastCheck(),
    timelines(
      from: number,
      to: number,
      checks: readonly [number, number],
      visit: (checkId: string, byVp: Map<string, Stretch[]>) => void,
    ) {
      stretches.eachCheck(from, to, checks, vpId, (check, byVp) => {
        const id = checkId(check);
        if (id !== undefined) visit(id, byVp);
      });
    },
    latest(checkId: string) {
      const check = checkKey.get(checkId);
      return check === undefined
        ? []
        : latest.forCheck(check).map((row) => ({ vantagePoint: vpId(row.vp), result: row.result }));
    },
    latestAll() {
      const byCheck = new Map<string, { vantagePoint: string; result: unknown }[]>();
      for (const row of latest.all()) {
        const list = byCheck.get(row.check) ?? [];
        list.push({ vantagePoint: vpId(row.vp), result: row.result });
        byCheck.set(row.check, list);
      }
      return byCheck;
    },
    totalTimes(checkId: string, from: number, to: number): TimedRun[] {
      const check = checkKey.get(checkId);
      if (check === undefined) return [];
      return results.totals(check, from, to).map(([vp, at, totalUs]) => ({
        checkId,
        vantagePoint: vpId(vp),
        startedAt: at,
        totalMs: totalUs / 1000,
      }));
    },
    list(checkId: string, query: ResultsQuery): ResultPage {
      const check = checkKey.get(checkId);
      if (check === undefined) return { items: [] };
      const vp = query.vantagePoint === undefined ? undefined : vpKey(query.vantagePoint);
      if (query.vantagePoint !== undefined && vp === undefined) return { items: [] };
      const rows = results.list({
        checkKey: check,
        ...(vp === undefined ? {} : { vp }),
        from: query.from,
        to: query.to,
        limit: query.limit + 1,
      });
      const page = rows
        .slice(0, query.limit)
        .map((row) => ({ ...row.record, checkId, vantagePoint: vpId(row.vp) }));
      const last = page.at(-1);
      return rows.length > query.limit && last ? { items: page, next: last.startedAt } : { items: page };
    },
    rollups(checkId: string, resolution: Resolution, from: number, to: number): RollupSlice[] {
      const check = checkKey.get(checkId);
      if (check === undefined) return [];
      return rollups[resolution]
        .range(check, from, to)
        .map(({ vp, bucket, ...row }) => ({ vantagePoint: vpId(vp), bucket, row }));
    },
    hourlyPhases(checkId: string, from: number, to: number, weekMask?: string): PhaseSlice[] {
      const check = checkKey.get(checkId);
      if (check === undefined) return [];
      return rollups.hourly
        .phasesRange(check, from, to, weekMask)
        .map(([vp, bucket, phases]) => ({ vantagePoint: vpId(vp), bucket, phases }));
    },
    firstRunAt(checkId: string, vantagePoint: string, from: number, to: number): number | undefined {
      const check = checkKey.get(checkId);
      const vp = vpKey(vantagePoint);
      return check === undefined || vp === undefined ? undefined : results.firstAt(check, vp, from, to);
    },
    spanRollups(checkId: string, firstDay: number, endDay: number): RollupSlice[] {
      const check = checkKey.get(checkId);
      if (check === undefined || endDay <= firstDay) return [];
      const rows = spans.read(check, firstDay, endDay) ?? mergeSpan(check, firstDay, endDay);
      return rows.map(({ vp, firstDay: first, ...row }) => ({ vantagePoint: vpId(vp), bucket: first, row }));
    },
    refreshSpans(firstDay: number, endDay: number, limit: number): number {
      const lacking = spans.lacking(firstDay, endDay, limit);
      for (const check of lacking) mergeSpan(check, firstDay, endDay);
      return lacking.length;
    },
    /** Up to `limit` rows of each check, found by range on the check's key (never a scan of the table). */
    prune: db.transaction((before: { raw: number; hourlyBucket: number }, limit: number) => {
      const deleted = { raw: 0, hourly: 0 };
      for (const check of keys.allCheckKeys()) {
        deleted.raw += results.pruneBatch(check, before.raw, limit);
        deleted.hourly += rollups.hourly.pruneBatch(check, before.hourlyBucket, limit);
      }
      return deleted;
    }),
  };
}

/**
 * A lookup that remembers what it found. Keys and ids of checks and sites never change once given
 * (entities are retired, never deleted), so each is read from the database once; a miss is asked
 * again, since the entity may be added later.
 */
function remembered<K, V>(lookup: (key: K) => V | undefined): (key: K) => V | undefined {
  const known = new Map<K, V>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = lookup(key);
      if (value !== undefined) known.set(key, value);
    }
    return value;
  };
}

/**
 * Checks' keys by id and ids by key, remembered as `remembered` does, all read at the first lookup: a
 * period of every check looks up each, and one statement for them all is quicker than one for each.
 */
function knownChecks(keys: ReturnType<typeof keysRepo>) {
  const byId = new Map<string, number>();
  const byKey = new Map<number, string>();
  const know = (key: number, id: string) => {
    byId.set(id, key);
    byKey.set(key, id);
  };
  let loaded = false;
  const load = () => {
    if (loaded) return;
    loaded = true;
    for (const [key, id] of keys.allChecks()) know(key, id);
  };
  return {
    key(id: string): number | undefined {
      load();
      let key = byId.get(id);
      if (key === undefined) {
        key = keys.checkKey(id);
        if (key !== undefined) know(key, id);
      }
      return key;
    },
    id(key: number): string | undefined {
      load();
      let id = byKey.get(key);
      if (id === undefined) {
        id = keys.checkId(key);
        if (id !== undefined) know(key, id);
      }
      return id;
    },
  };
}

/** Runs of a batch added up per (check, vantage point, bucket), before one read-merge-write each. */
interface Pending {
  check: number;
  vp: number;
  bucket: number;
  rollup: Rollup;
}

function addPending(
  into: Map<string, Pending>,
  check: number,
  vp: number,
  bucket: number,
  run: RunRecord,
): void {
  const key = `${check}:${vp}:${bucket}`;
  let entry = into.get(key);
  if (!entry) {
    entry = { check, vp, bucket, rollup: emptyRollup() };
    into.set(key, entry);
  }
  addRun(entry.rollup, run.state, run.phases);
}
