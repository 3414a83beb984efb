import { monthStartDay } from '../../../common/calendar.js';
import { SERVER_VANTAGE_POINT } from '../../../runs/record.js';
import type { Db } from '../../db/open.js';
import { demoHistoryRepo } from '../../db/repos/demo-history.js';
import { keysRepo } from '../../db/repos/keys.js';
import { latencyKeptRepo } from '../../db/repos/latency-kept.js';
import { rollupsRepo } from '../../db/repos/rollups.js';
import { spansRepo } from '../../db/repos/spans.js';
import { timelineRepo } from '../../db/repos/timeline.js';
import { RollupAccumulator } from '../../rollups/accumulator.js';
import type { DemoHistoryStore, HistoryChunk, HistorySpan } from '../demo-history.js';
import type { WriteHealth } from './writes.js';

export class SqliteDemoHistoryStore implements DemoHistoryStore {
  readonly #writes: WriteHealth;
  readonly #marker;
  readonly #write;

  constructor(db: Db, writes: WriteHealth) {
    this.#writes = writes;
    this.#marker = demoHistoryRepo(db);
    const keys = keysRepo(db);
    const timeline = timelineRepo(db);
    const rollups = { hourly: rollupsRepo(db, 'hourly'), daily: rollupsRepo(db, 'daily') };
    const spans = spansRepo(db);
    const kept = latencyKeptRepo(db);
    const checkKeys = new Map<string, number | undefined>();
    const vpKeys = new Map<string, number | undefined>();
    const checkKey = (id: string) => {
      if (!checkKeys.has(id)) checkKeys.set(id, keys.checkKey(id));
      return checkKeys.get(id);
    };
    const vpKey = (id: string) => {
      if (id === SERVER_VANTAGE_POINT) return 0;
      if (!vpKeys.has(id)) vpKeys.set(id, keys.siteKey(id));
      return vpKeys.get(id);
    };
    this.#write = db.transaction((chunk: HistoryChunk) => {
      for (const series of chunk.stretches) {
        const check = checkKey(series.checkId);
        const vp = vpKey(series.vantagePoint);
        if (check === undefined || vp === undefined) continue;
        for (const stretch of series.stretches) timeline.insert(check, vp, stretch);
      }
      const days = new Set<string>();
      for (const { checkId, vantagePoint, resolution, bucket, row, merge } of chunk.rollups) {
        const check = checkKey(checkId);
        const vp = vpKey(vantagePoint);
        if (check === undefined || vp === undefined) continue;
        const stored = merge ? rollups[resolution].getRow(check, vp, bucket) : undefined;
        const written = stored ? new RollupAccumulator().add(stored).add(row).toRow() : row;
        rollups[resolution].putRow(check, vp, bucket, written);
        if (resolution === 'daily' && !days.has(`${check}:${bucket}`)) {
          // A year-wide merge, or a latency principle's day or month, kept over these days is out of date now.
          days.add(`${check}:${bucket}`);
          spans.unmarkDay(check, bucket);
          kept.forgetDay(check, bucket, monthStartDay(bucket));
        }
      }
      this.#marker.progress(chunk.doneFrom);
    });
  }

  async history(): Promise<HistorySpan | undefined> {
    return this.#marker.get();
  }

  async firstStored(after: number): Promise<number | undefined> {
    return this.#marker.firstStored(after);
  }

  async begin(span: { from: number; to: number; seed: number }): Promise<void> {
    this.#writes.run(() => this.#marker.begin(span));
  }

  async writeChunk(chunk: HistoryChunk): Promise<void> {
    this.#writes.run(() => this.#write(chunk));
  }

  async finish(at: number): Promise<void> {
    this.#writes.run(() => this.#marker.finish(at));
  }
}
