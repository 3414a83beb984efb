import type { Phases } from '../../../probes/result.js';
import type { RunRecord } from '../../../runs/record.js';
import type { RunState } from '../../rollups/rollup.js';
import type { Db } from '../open.js';

const STATES: RunState[] = ['ok', 'degraded', 'fail', 'skipped'];
const stateCode = (state: RunState) => STATES.indexOf(state);

interface Row {
  at: number;
  vp: number;
  state: number;
  total_us: number | null;
  dns_us: number | null;
  connect_us: number | null;
  tls_us: number | null;
  ttfb_us: number | null;
  transfer_us: number | null;
  status: number | null;
  error_class: string | null;
  error_message: string | null;
}

/** Whole microseconds keep rows small and are finer than any network measurement. */
const us = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : Math.round(ms * 1000);
const ms = (value: number | null) => (value === null ? null : value / 1000);

export interface ResultQuery {
  checkKey: number;
  vp?: number;
  from: number;
  /** Exclusive. */
  to: number;
  limit: number;
}

/** Raw results: one compact row per run, keyed (check, vantage point, time) so retries are stored once. */
export function resultsRepo(db: Db) {
  const insert = db.prepare(`
    INSERT OR IGNORE INTO results
      (check_key, vp, at, state, total_us, dns_us, connect_us, tls_us, ttfb_us, transfer_us, status, error_class, error_message)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const columns =
    'at, vp, state, total_us, dns_us, connect_us, tls_us, ttfb_us, transfer_us, status, error_class, error_message';
  const listAll = db.prepare<[number, number, number, number], Row>(
    `SELECT ${columns} FROM results WHERE check_key = ? AND at >= ? AND at < ? ORDER BY at DESC, vp LIMIT ?`,
  );
  const listOne = db.prepare<[number, number, number, number, number], Row>(
    `SELECT ${columns} FROM results WHERE check_key = ? AND vp = ? AND at >= ? AND at < ? ORDER BY at DESC LIMIT ?`,
  );
  const firstAt = db
    .prepare<[number, number, number, number], number>(
      'SELECT at FROM results WHERE check_key = ? AND at >= ? AND at < ? AND vp = ? ORDER BY at LIMIT 1',
    )
    .pluck();
  const totals = db
    .prepare<[number, number, number], [number, number, number]>(
      'SELECT vp, at, total_us FROM results WHERE check_key = ? AND at >= ? AND at < ? AND total_us IS NOT NULL ORDER BY at, vp',
    )
    .raw();
  const pruneCheck = db.prepare(
    `DELETE FROM results WHERE (check_key, at, vp) IN
       (SELECT check_key, at, vp FROM results WHERE check_key = ? AND at < ? LIMIT ?)`,
  );

  return {
    /** True when the row is new (a retried result is ignored). */
    insert(checkKey: number, vp: number, record: RunRecord): boolean {
      const p = record.phases;
      return (
        insert.run(
          checkKey,
          vp,
          record.startedAt,
          stateCode(record.state),
          us(p?.totalMs),
          us(p?.dnsMs),
          us(p?.connectMs),
          us(p?.tlsMs),
          us(p?.ttfbMs),
          us(p?.transferMs),
          record.status ?? null,
          record.error?.class ?? null,
          record.error?.message ?? null,
        ).changes === 1
      );
    },
    list(query: ResultQuery) {
      const rows =
        query.vp === undefined
          ? listAll.all(query.checkKey, query.from, query.to, query.limit)
          : listOne.all(query.checkKey, query.vp, query.from, query.to, query.limit);
      return rows.map((row) => ({ vp: row.vp, record: toRecord(row) }));
    },
    /** A check's timed runs from `from` up to (not including) `to`, oldest first: [vp, at, total µs]. */
    totals(checkKey: number, from: number, to: number): [number, number, number][] {
      return totals.all(checkKey, from, to);
    },
    /** When the first run at a vantage point from `from` up to (not including) `to` started, if one is kept. */
    firstAt(checkKey: number, vp: number, from: number, to: number): number | undefined {
      return firstAt.get(checkKey, from, to, vp);
    },
    /** Deletes up to `limit` of a check's rows older than `before`, the oldest first. */
    pruneBatch(checkKey: number, before: number, limit: number): number {
      return pruneCheck.run(checkKey, before, limit).changes;
    },
  };
}

function toRecord(row: Row): Omit<RunRecord, 'checkId' | 'vantagePoint'> {
  const state = STATES[row.state] ?? 'fail';
  const phases: Phases | null =
    row.total_us === null
      ? null
      : {
          dnsMs: ms(row.dns_us),
          connectMs: ms(row.connect_us),
          tlsMs: ms(row.tls_us),
          ttfbMs: ms(row.ttfb_us),
          transferMs: ms(row.transfer_us),
          totalMs: row.total_us / 1000,
        };
  return {
    startedAt: row.at,
    state,
    phases,
    ...(row.status !== null ? { status: row.status } : {}),
    ...(row.error_class !== null
      ? {
          error: {
            class: row.error_class as NonNullable<RunRecord['error']>['class'],
            message: row.error_message ?? '',
          },
        }
      : {}),
  };
}
