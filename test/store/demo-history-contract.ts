import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyRollup, toRow } from '../../server/rollups/rollup.js';
import type { HistoryChunk } from '../../server/store/demo-history.js';
import type { Stores } from '../../server/store/stores.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';

const HOUR = 3_600_000;
const t0 = Date.UTC(2026, 9, 1, 0, 0);
const span = { from: t0, to: t0 + 48 * HOUR, seed: 7 };
const rollup = (ok: number, fail: number) => toRow({ ...emptyRollup(), ok, fail });

/** A day of history at st-annes: up, then an hour down. */
const chunk = (merge = false): HistoryChunk => ({
  stretches: [
    {
      checkId: 'epr-login',
      vantagePoint: 'st-annes',
      stretches: [
        { from: t0 + 24 * HOUR, to: t0 + 30 * HOUR, state: 'up' },
        { from: t0 + 30 * HOUR, to: t0 + 31 * HOUR, state: 'down' },
      ],
    },
  ],
  rollups: [
    {
      checkId: 'epr-login',
      vantagePoint: 'st-annes',
      resolution: 'hourly',
      bucket: t0 / HOUR + 30,
      row: rollup(0, 60),
      merge,
    },
  ],
  doneFrom: t0 + 24 * HOUR,
});

/** What every demo history store must do: keep the span once, write chunks whole, say how far it got. */
export function demoHistoryContract(name: string, create: () => Promise<Stores>): void {
  describe(`Demo history store contract: ${name}`, () => {
    let store: Stores;
    beforeEach(async () => {
      store = await create();
      await store.estate.syncEstate(estateFrom(smallEstateYaml), t0);
    });
    afterEach(async () => {
      await store.close();
    });

    it('has no history until one is begun, and keeps one span only', async () => {
      expect(await store.demoHistory.history()).toBeUndefined();
      await store.demoHistory.begin(span);
      expect(await store.demoHistory.history()).toEqual({ ...span, doneFrom: span.to, generatedAt: null });
      await expect(store.demoHistory.begin({ ...span, seed: 8 })).rejects.toThrow();
      expect((await store.demoHistory.history())?.seed).toBe(7);
    });

    it('writes a chunk’s stretches and rollups with how far back it reaches, then is finished', async () => {
      await store.demoHistory.begin(span);
      await store.demoHistory.writeChunk(chunk());
      expect((await store.demoHistory.history())?.doneFrom).toBe(t0 + 24 * HOUR);
      const timeline = await store.results.timeline('epr-login', t0, span.to);
      expect(timeline.get('st-annes')).toEqual(chunk().stretches[0]?.stretches);
      const hourly = await store.results.rollups('epr-login', 'hourly', 0, span.to / HOUR);
      expect(hourly.map((r) => [r.vantagePoint, r.bucket, r.row.fail])).toEqual([
        ['st-annes', t0 / HOUR + 30, 60],
      ]);
      await store.demoHistory.finish(span.to + HOUR);
      expect(await store.demoHistory.history()).toEqual({
        ...span,
        doneFrom: span.from,
        generatedAt: span.to + HOUR,
      });
    });

    it('writes a chunk all or nothing', async () => {
      await store.demoHistory.begin(span);
      const clashing = chunk();
      // The same stretch twice: the second cannot be stored, so neither is, nor the rollup, nor the progress.
      clashing.stretches.push(clashing.stretches[0] as HistoryChunk['stretches'][number]);
      await expect(store.demoHistory.writeChunk(clashing)).rejects.toThrow();
      expect((await store.results.timeline('epr-login', t0, span.to)).size).toBe(0);
      expect(await store.results.rollups('epr-login', 'hourly', 0, span.to / HOUR)).toEqual([]);
      expect((await store.demoHistory.history())?.doneFrom).toBe(span.to);
    });

    it('adds a rollup marked to merge to the one stored for its bucket, and finds what is stored', async () => {
      expect(await store.demoHistory.firstStored(0)).toBeUndefined();
      const at = t0 + 30 * HOUR + 10 * 60_000;
      await store.results.recordRuns([
        { checkId: 'epr-login', vantagePoint: 'st-annes', startedAt: at, state: 'ok', phases: null },
      ]);
      expect(await store.demoHistory.firstStored(0)).toBeLessThanOrEqual(at);
      expect(await store.demoHistory.firstStored(at + 1)).toBeUndefined();
      await store.demoHistory.begin(span);
      await store.demoHistory.writeChunk({ ...chunk(true), stretches: [] });
      const [row] = await store.results.rollups('epr-login', 'hourly', t0 / HOUR + 30, t0 / HOUR + 31);
      expect([row?.row.ok, row?.row.fail]).toEqual([1, 60]);
    });
  });
}
