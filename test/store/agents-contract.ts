import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentBeat } from '../../server/store/agents.js';
import type { Stores } from '../../server/store/stores.js';

const t0 = Date.UTC(2026, 10, 2, 8, 0, 0);

const beat = (at: number, version: string): AgentBeat => ({
  site: 'st-annes',
  tokenId: 'tok1',
  at,
  version,
  clockOffsetMs: 12.5,
  outbox: { depth: 3, dropped: 0, oldestAt: at - 60_000 },
});

/** What every agents store must do: tokens kept, listed and revoked once; each site's last heartbeat. */
export function agentsContract(name: string, create: () => Promise<Stores>): void {
  describe(`Agents store contract: ${name}`, () => {
    let store: Stores;
    beforeEach(async () => {
      store = await create();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps tokens in the order made, and revokes each once', async () => {
      await store.agents.addToken({
        id: 'tok2',
        site: 'marsh-lane',
        secretHash: 'h2',
        label: null,
        createdAt: t0 + 1,
      });
      await store.agents.addToken({
        id: 'tok1',
        site: 'st-annes',
        secretHash: 'h1',
        label: 'desk',
        createdAt: t0,
      });
      expect((await store.agents.tokens()).map((token) => token.id)).toEqual(['tok1', 'tok2']);
      expect(await store.agents.token('tok1')).toEqual({
        id: 'tok1',
        site: 'st-annes',
        secretHash: 'h1',
        label: 'desk',
        createdAt: t0,
        revokedAt: null,
        lastUsedAt: null,
      });
      expect(await store.agents.token('nope')).toBeUndefined();
      expect(await store.agents.revokeToken('tok1', t0 + 5)).toBe(true);
      expect(await store.agents.revokeToken('tok1', t0 + 9)).toBe(false);
      expect(await store.agents.revokeToken('nope', t0 + 9)).toBe(false);
      expect((await store.agents.token('tok1'))?.revokedAt).toBe(t0 + 5);
    });

    it("keeps each site's newest heartbeat, and marks its token used", async () => {
      await store.agents.addToken({
        id: 'tok1',
        site: 'st-annes',
        secretHash: 'h1',
        label: null,
        createdAt: t0,
      });
      await store.agents.recordHeartbeat(beat(t0 + 10_000, '1.1.0'));
      expect((await store.agents.token('tok1'))?.lastUsedAt).toBe(t0 + 10_000);
      await store.agents.recordHeartbeat(beat(t0 + 5_000, '1.0.0')); // an older one arriving late
      expect(await store.agents.heartbeats()).toEqual([beat(t0 + 10_000, '1.1.0')]);
    });
  });
}
