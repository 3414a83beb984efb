import type { Db } from '../open.js';

/** The integer keys results and rollups are stored under, for checks and sites by their ids. */
export function keysRepo(db: Db) {
  const checkKey = db.prepare<[string], number>('SELECT key FROM checks WHERE id = ?').pluck();
  const allCheckKeys = db.prepare<[], number>('SELECT key FROM checks').pluck();
  const checkId = db.prepare<[number], string>('SELECT id FROM checks WHERE key = ?').pluck();
  const allChecks = db.prepare<[], [number, string]>('SELECT key, id FROM checks').raw(true);
  const siteKey = db.prepare<[string], number>('SELECT key FROM sites WHERE id = ?').pluck();
  const siteId = db.prepare<[number], string>('SELECT id FROM sites WHERE key = ?').pluck();
  return {
    checkKey: (id: string) => checkKey.get(id),
    allCheckKeys: () => allCheckKeys.all(),
    checkId: (key: number) => checkId.get(key),
    /** Every check's [key, id]. */
    allChecks: () => allChecks.all(),
    siteKey: (id: string) => siteKey.get(id),
    siteId: (key: number) => siteId.get(key),
  };
}
