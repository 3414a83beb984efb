import { monthStartDay } from '../../../common/calendar.js';
import type { Db } from '../../db/open.js';
import { type KeptRow, latencyKeptRepo } from '../../db/repos/latency-kept.js';
import type { rollupsRepo } from '../../db/repos/rollups.js';
import type { KeptReader, LatencyKeptStore } from '../latency-kept.js';
import type { PhaseSlice } from '../results.js';
import type { WriteHealth } from './writes.js';

interface Keys {
  checkKey(checkId: string): number | undefined;
  checkId(checkKey: number): string | undefined;
  vpId(vp: number): string;
}

/** Latency principles' kept summaries in SQLite, beside the hourly rollups they are built from. */
export class SqliteLatencyKept implements LatencyKeptStore {
  readonly #db: Db;
  readonly #writes: WriteHealth;
  readonly #keys: Keys;
  readonly #hourly: ReturnType<typeof rollupsRepo>;
  readonly #repo: ReturnType<typeof latencyKeptRepo>;
  readonly #firstHour;

  constructor(db: Db, writes: WriteHealth, keys: Keys, hourly: ReturnType<typeof rollupsRepo>) {
    this.#db = db;
    this.#writes = writes;
    this.#keys = keys;
    this.#hourly = hourly;
    this.#repo = latencyKeptRepo(db);
    this.#firstHour = db
      .prepare<[number], number | null>('SELECT MIN(bucket) FROM rollups_hourly WHERE check_key = ?')
      .pluck();
  }

  /** A result landed on this day (in the runs' transaction): the day's and its month's rows go. */
  forgetDay(checkKey: number, day: number): void {
    this.#repo.forgetDay(checkKey, day, monthStartDay(day));
  }

  async days(
    objective: string,
    checkIds: readonly string[],
    firstDay: number,
    endDay: number,
  ): Promise<Map<string, KeptRow[]>> {
    return this.#some('day', objective, checkIds, firstDay, endDay);
  }

  async months(
    objective: string,
    checkIds: readonly string[],
    firstDay: number,
    endDay: number,
  ): Promise<Map<string, KeptRow[]>> {
    return this.#some('month', objective, checkIds, firstDay, endDay);
  }

  /** Some checks' days or months, read by their keys, by check id. */
  #some(
    unit: KeptRow['unit'],
    objective: string,
    checkIds: readonly string[],
    firstDay: number,
    endDay: number,
  ): Map<string, KeptRow[]> {
    const byKey = new Map<number, string>();
    for (const id of checkIds) {
      const check = this.#keys.checkKey(id);
      if (check !== undefined) byKey.set(check, id);
    }
    const byId = new Map<string, KeptRow[]>();
    if (byKey.size === 0 || endDay <= firstDay) return byId;
    for (const [check, rows] of this.#repo.some(unit, objective, [...byKey.keys()], firstDay, endDay)) {
      const id = byKey.get(check);
      if (id !== undefined) byId.set(id, rows);
    }
    return byId;
  }

  async kept(objective: string, checkId: string, firstDay: number, endDay: number): Promise<Set<string>> {
    const check = this.#keys.checkKey(checkId);
    return check === undefined ? new Set() : this.#repo.kept(objective, check, firstDay, endDay);
  }

  async build(checkId: string, work: (read: KeptReader) => Map<string, KeptRow[]>): Promise<number> {
    const check = this.#keys.checkKey(checkId);
    if (check === undefined) return 0;
    const reader: KeptReader = {
      hours: (fromHour, toHour): PhaseSlice[] =>
        this.#hourly
          .phasesRange(check, fromHour, toHour)
          .map(([vp, bucket, phases]) => ({ vantagePoint: this.#keys.vpId(vp), bucket, phases })),
      days: (objective, firstDay, endDay) => this.#repo.read(objective, check, 'day', firstDay, endDay),
    };
    return this.#writes.run(() =>
      this.#db.transaction(() => {
        let kept = 0;
        for (const [objective, rows] of work(reader)) {
          this.#repo.put(objective, check, rows);
          kept += rows.length;
        }
        return kept;
      })(),
    );
  }

  async firstHour(checkId: string): Promise<number | undefined> {
    const check = this.#keys.checkKey(checkId);
    return check === undefined ? undefined : (this.#firstHour.get(check) ?? undefined);
  }

  async dropOthers(objectives: readonly string[]): Promise<number> {
    const wanted = new Set(objectives);
    const others = this.#repo.objectives().filter((objective) => !wanted.has(objective));
    if (others.length === 0) return 0;
    return this.#writes.run(() =>
      others.reduce((sum, objective) => sum + this.#repo.dropObjective(objective), 0),
    );
  }

  async pruneDays(checkId: string, beforeDay: number, limit: number): Promise<number> {
    const check = this.#keys.checkKey(checkId);
    if (check === undefined) return 0;
    return this.#writes.run(() => this.#repo.pruneDays(check, beforeDay, limit));
  }
}
