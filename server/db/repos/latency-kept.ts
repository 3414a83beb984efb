import type { Db } from '../open.js';
import { cutBodies, END_TO_END_LENGTH, numbers } from './end-to-end.js';

/**
 * A kept day or month of one check for one latency objective; the body is the vantage points' summaries
 * (see server/principles/kept-body.ts): bytes, or JSON text in rows kept before.
 */
export interface KeptRow {
  day: number;
  unit: 'day' | 'month';
  body: Uint8Array | string;
}

/** Latency principles' kept summaries (see migration 14). */
export function latencyKeptRepo(db: Db) {
  const table = { day: 'latency_days', month: 'latency_months' } as const;
  const statements = (unit: KeptRow['unit']) => ({
    range: db
      .prepare<[string, number, number, number], [number, Uint8Array | string]>(
        `SELECT day, body FROM ${table[unit]} WHERE objective = ? AND check_key = ? AND day >= ? AND day < ? ORDER BY day`,
      )
      .raw(true),
    days: db
      .prepare<[string, number, number, number], number>(
        `SELECT day FROM ${table[unit]} WHERE objective = ? AND check_key = ? AND day >= ? AND day < ?`,
      )
      .pluck(),
    put: db.prepare(
      `INSERT OR REPLACE INTO ${table[unit]} (objective, check_key, day, body) VALUES (?, ?, ?, ?)`,
    ),
    forget: db.prepare(`DELETE FROM ${table[unit]} WHERE check_key = ? AND day = ?`),
    objectives: db.prepare<[], string>(`SELECT DISTINCT objective FROM ${table[unit]}`).pluck(),
    drop: db.prepare(`DELETE FROM ${table[unit]} WHERE objective = ?`),
  });
  const of = { day: statements('day'), month: statements('month') };
  // Several checks' days or months, read end to end: SQLite seeks each check's range in the primary key,
  // as a query for each check would, and gives each check's rows oldest first.
  const someOf = (unit: KeptRow['unit']) =>
    db
      .prepare<
        [string, string, number, number],
        [string | null, string | null, string | null, Uint8Array | null]
      >(
        `SELECT group_concat(k.check_key), group_concat(k.day), group_concat(${END_TO_END_LENGTH('k.body')}),
           CAST(group_concat(k.body, '') AS BLOB)
         FROM json_each(?) j CROSS JOIN ${table[unit]} k
         WHERE k.objective = ? AND k.check_key = j.value AND k.day >= ? AND k.day < ?`,
      )
      .raw(true);
  const some = { day: someOf('day'), month: someOf('month') };
  const oldDays = db.prepare(
    `DELETE FROM latency_days WHERE (objective, check_key, day) IN
       (SELECT objective, check_key, day FROM latency_days INDEXED BY latency_days_by_day
        WHERE check_key = ? AND day < ? LIMIT ?)`,
  );

  return {
    /** A check's kept days or months with firstDay ≤ day < endDay, oldest first. */
    read(
      objective: string,
      checkKey: number,
      unit: KeptRow['unit'],
      firstDay: number,
      endDay: number,
    ): KeptRow[] {
      return of[unit].range
        .all(objective, checkKey, firstDay, endDay)
        .map(([day, body]) => ({ day, unit, body }));
    },
    /** The given checks' kept days or months with firstDay ≤ day < endDay, by check key, oldest first. */
    some(
      unit: KeptRow['unit'],
      objective: string,
      checkKeys: readonly number[],
      firstDay: number,
      endDay: number,
    ): Map<number, KeptRow[]> {
      return byCheckOf(unit, some[unit].get(JSON.stringify(checkKeys), objective, firstDay, endDay));
    },
    /** Which days and months are kept, as `day:N` and `month:N`. */
    kept(objective: string, checkKey: number, firstDay: number, endDay: number): Set<string> {
      const found = new Set<string>();
      for (const unit of ['day', 'month'] as const)
        for (const day of of[unit].days.all(objective, checkKey, firstDay, endDay))
          found.add(`${unit}:${day}`);
      return found;
    },
    put(objective: string, checkKey: number, rows: readonly KeptRow[]): void {
      for (const row of rows) of[row.unit].put.run(objective, checkKey, row.day, row.body);
    },
    /** A result landed on this day: the day's rows and its month's are out of date. */
    forgetDay(checkKey: number, day: number, monthDay: number): void {
      of.day.forget.run(checkKey, day);
      of.month.forget.run(checkKey, monthDay);
    },
    objectives(): string[] {
      return [...new Set([...of.day.objectives.all(), ...of.month.objectives.all()])];
    },
    dropObjective(objective: string): number {
      return of.day.drop.run(objective).changes + of.month.drop.run(objective).changes;
    },
    /** Deletes up to `limit` of a check's day rows before `beforeDay` (months are kept for ever). */
    pruneDays(checkKey: number, beforeDay: number, limit: number): number {
      return oldDays.run(checkKey, beforeDay, limit).changes;
    },
  };
}

/** Several checks' rows read end to end (check keys, days, body lengths, the bodies), by check key. */
function byCheckOf(
  unit: KeptRow['unit'],
  row: [string | null, string | null, string | null, Uint8Array | null] | undefined,
): Map<number, KeptRow[]> {
  const byCheck = new Map<number, KeptRow[]>();
  const [checks, days, lengths, all] = row ?? [];
  if (!checks || !days || !lengths || !all) return byCheck;
  const check = numbers(checks);
  const day = numbers(days);
  cutBodies(numbers(lengths), all).forEach((body, i) => {
    add(byCheck, check[i] as number, { day: day[i] as number, unit, body });
  });
  return byCheck;
}

function add(byCheck: Map<number, KeptRow[]>, check: number, row: KeptRow): void {
  const rows = byCheck.get(check);
  if (rows) rows.push(row);
  else byCheck.set(check, [row]);
}
