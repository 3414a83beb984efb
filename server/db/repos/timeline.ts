import type { Stretch, TimedRun } from '../../../principles/timeline.js';
import type { Db } from '../open.js';

interface StretchRow {
  from_ms: number;
  to_ms: number;
  state: number;
}

const STATES = ['up', 'down'] as const;
const stretchOf = (row: StretchRow): Stretch => ({
  from: row.from_ms,
  to: row.to_ms,
  state: STATES[row.state] ?? 'down',
});

/**
 * Stretches from flat numbers (from, to, state, …), oldest first. SQLite hands a group's rows over in
 * the order it scanned them, which is the key's; should that ever not hold, they are sorted here.
 */
function stretchesOf(numbers: number[]): Stretch[] {
  const stretches: Stretch[] = new Array(numbers.length / 3);
  let sorted = true;
  for (let i = 0, j = 0; i < numbers.length; i += 3, j++) {
    const stretch: Stretch = {
      from: numbers[i] as number,
      to: numbers[i + 1] as number,
      state: STATES[numbers[i + 2] as number] ?? 'down',
    };
    if (j > 0 && stretch.from < (stretches[j - 1] as Stretch).from) sorted = false;
    stretches[j] = stretch;
  }
  return sorted ? stretches : stretches.sort((a, b) => a.from - b.from);
}

/** The state timeline's rows for one (check, vantage point) at a time. */
export function timelineRepo(db: Db) {
  const overlapping = db.prepare<[number, number, number, number], StretchRow>(`
    SELECT from_ms, to_ms, state FROM state_timeline
    WHERE check_key = ? AND vp = ? AND from_ms < ? AND to_ms > ? ORDER BY from_ms`);
  const remove = db.prepare('DELETE FROM state_timeline WHERE check_key = ? AND vp = ? AND from_ms = ?');
  const insert = db.prepare(
    'INSERT INTO state_timeline (check_key, vp, from_ms, to_ms, state) VALUES (?, ?, ?, ?, ?)',
  );
  // A check's vantage points one seek each (the key leads with check, vp), and each one's stretches in a
  // period as the one that started last before it plus those starting inside it: two seeks, however long
  // the timeline grows, where a filter on to_ms would read every row the check ever had.
  const nextVp = db
    .prepare<[number, number], number>(
      'SELECT vp FROM state_timeline WHERE check_key = ? AND vp > ? ORDER BY vp LIMIT 1',
    )
    .pluck();
  const inPeriod = db
    .prepare<[number, number, number, number, number, number, number], [number, number, number]>(`
    SELECT * FROM (SELECT from_ms, to_ms, state FROM state_timeline
      WHERE check_key = ? AND vp = ? AND from_ms <= ? ORDER BY from_ms DESC LIMIT 1)
    UNION ALL
    SELECT * FROM (SELECT from_ms, to_ms, state FROM state_timeline
      WHERE check_key = ? AND vp = ? AND from_ms > ? AND from_ms < ? ORDER BY from_ms)`)
    .raw();
  // In key order, so each check's vantage points come together; the filter runs inside SQLite, and each
  // vantage point's stretches in the period come as one row of numbers (from,to,state,…), which JSON
  // reads in bulk: a row per stretch costs more to cross into JavaScript than SQLite takes to find it.
  const everyCheck = db
    .prepare<[number, number, number, number], [number, number, string]>(`
    SELECT check_key, vp, group_concat(from_ms || ',' || to_ms || ',' || state) FROM state_timeline
    WHERE check_key >= ? AND check_key < ? AND from_ms < ? AND to_ms > ?
    GROUP BY check_key, vp ORDER BY check_key, vp`)
    .raw();
  const lastCheck = db.prepare<[], number | null>('SELECT max(key) FROM checks').pluck();
  // Results' states: 0 ok, 1 degraded, 2 fail, 3 skipped (results.ts). Skipped runs say nothing of the target.
  const runs = db.prepare<[number, number, number, number], { at: number; state: number }>(`
    SELECT at, state FROM results WHERE check_key = ? AND vp = ? AND at >= ? AND at < ? AND state != 3 ORDER BY at`);
  const definition = db.prepare<[number], string>('SELECT definition FROM checks WHERE key = ?').pluck();
  const backlog = db.prepare<[number], { check_key: number; vp: number; next_from: number }>(
    'SELECT check_key, vp, next_from FROM timeline_backfill ORDER BY next_from LIMIT ?',
  );
  const firstFrom = db
    .prepare<[number, number, number], number>(
      'SELECT at FROM results WHERE check_key = ? AND vp = ? AND at >= ? AND state != 3 ORDER BY at LIMIT 1',
    )
    .pluck();
  const lastBefore = db
    .prepare<[number, number, number, number], number>(
      'SELECT at FROM results WHERE check_key = ? AND vp = ? AND at >= ? AND at < ? AND state != 3 ORDER BY at DESC LIMIT 1',
    )
    .pluck();
  const advance = db.prepare('UPDATE timeline_backfill SET next_from = ? WHERE check_key = ? AND vp = ?');
  const done = db.prepare('DELETE FROM timeline_backfill WHERE check_key = ? AND vp = ?');
  return {
    /** Series still to be filled in, furthest behind first. */
    backlog: (limit: number) =>
      backlog.all(limit).map((r) => ({ check: r.check_key, vp: r.vp, from: r.next_from })),
    /** The first run that says up or down at or after a time. */
    firstRunFrom: (check: number, vp: number, from: number) => firstFrom.get(check, vp, from),
    /** The last such run in [from, to). */
    lastRunIn: (check: number, vp: number, from: number, to: number) => lastBefore.get(check, vp, from, to),
    advance: (check: number, vp: number, from: number) => void advance.run(from, check, vp),
    done: (check: number, vp: number) => void done.run(check, vp),
    /** A vantage point's runs that say whether the target was up, started in [from, to). */
    runs: (check: number, vp: number, from: number, to: number): TimedRun[] =>
      runs.all(check, vp, from, to).map((row) => ({ at: row.at, state: row.state === 2 ? 'down' : 'up' })),
    /** A check's definition as the estate gave it (JSON). */
    definition: (check: number) => definition.get(check),
    /** Stretches of one vantage point overlapping [from, to), oldest first. */
    overlapping: (check: number, vp: number, from: number, to: number) =>
      overlapping.all(check, vp, to, from).map(stretchOf),
    /** Every vantage point's stretches of a check overlapping [from, to). */
    forCheck: (check: number, from: number, to: number) => {
      const byVp = new Map<number, Stretch[]>();
      for (let vp = nextVp.get(check, -1); vp !== undefined; vp = nextVp.get(check, vp)) {
        const found: Stretch[] = [];
        for (const [a, b, state] of inPeriod.all(check, vp, from, check, vp, from, to))
          if (b > from && a < to) found.push({ from: a, to: b, state: STATES[state] ?? 'down' });
        if (found.length > 0) byVp.set(vp, found);
      }
      return byVp;
    },
    /** The highest check key there is (checks are keyed 1, 2, …), or 0 with none. */
    lastCheck: (): number => lastCheck.get() ?? 0,
    /**
     * The stretches overlapping [from, to) of each check keyed in [firstCheck, endCheck), a check at a
     * time, in one pass, each vantage point under `keyOf(vp)`.
     */
    eachCheck<K>(
      from: number,
      to: number,
      [firstCheck, endCheck]: readonly [number, number],
      keyOf: (vp: number) => K,
      visit: (check: number, byVp: Map<K, Stretch[]>) => void,
    ) {
      let current = -1;
      let byVp = new Map<K, Stretch[]>();
      for (const [check, vp, numbers] of everyCheck.iterate(firstCheck, endCheck, to, from)) {
        if (check !== current) {
          if (current !== -1) visit(current, byVp);
          current = check;
          byVp = new Map();
        }
        byVp.set(keyOf(vp), stretchesOf(JSON.parse(`[${numbers}]`)));
      }
      if (current !== -1) visit(current, byVp);
    },
    remove: (check: number, vp: number, from: number) => void remove.run(check, vp, from),
    insert: (check: number, vp: number, stretch: Stretch) =>
      void insert.run(check, vp, stretch.from, stretch.to, STATES.indexOf(stretch.state)),
  };
}
