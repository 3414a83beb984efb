import type { RunRecord } from '../../runs/record.js';
import type { Db } from '../../server/db/open.js';
import type { ResultWriter } from '../../server/results/writer.js';

/**
 * Fills the database as a disk fills up: SQLite's page limit fails writes with SQLITE_FULL, the same
 * code path as a full disk. Batches of runs go to the writer until it holds some it could not store.
 * Says how many runs it gave the writer, and the page count the database was held to.
 */
export async function fillUntilRefused(
  db: Db,
  writer: ResultWriter,
  batch: (from: number) => RunRecord[],
): Promise<{ added: number; pages: number }> {
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages}`);
  let added = 0;
  while (writer.pending === 0 && added < 100_000) {
    const runs = batch(added);
    for (const run of runs) writer.add(run);
    added += runs.length;
    await writer.flush();
  }
  return { added, pages };
}
