import { Router } from 'express';
import type { Clock } from '../../../common/clock.js';
import { HEARTBEAT_MS, SKEW_LIMIT_MS } from '../../../runs/agent-wire.js';
import { allow, read } from '../../access/rules.js';
import type { Stores } from '../../store/stores.js';
import type { Agent, AgentsResponse } from '../types.js';

/** Heartbeats missed in a row before an agent is shown as silent. */
export const SILENT_BEATS = 3;

/**
 * Every site that has checks to run, a token or an agent that has spoken: who hosts it, when its agent
 * was last heard, its version, how far its clock is off, what it still has to send, and its state.
 * Tokens themselves are never shown here.
 */
export function agentsRoutes(stores: Pick<Stores, 'estate' | 'agents'>, clock: Clock): Router {
  const router = Router();
  router.get('/agents', allow(read), async (_req, res) => {
    const [estate, beats, tokens] = await Promise.all([
      stores.estate.readEstate(),
      stores.agents.heartbeats(),
      stores.agents.tokens(),
    ]);
    const now = clock.now();
    const organisations = new Map(estate.organisations.map((o) => [o.id, o.name]));
    const beatOf = new Map(beats.map((beat) => [beat.site, beat]));
    const assigned = new Map<string, number>();
    for (const check of estate.checks)
      for (const site of check.definition.from ?? []) assigned.set(site, (assigned.get(site) ?? 0) + 1);
    const liveTokens = new Map<string, number>();
    for (const token of tokens)
      if (token.revokedAt === null) liveTokens.set(token.site, (liveTokens.get(token.site) ?? 0) + 1);

    const items = estate.sites
      .filter((site) => assigned.has(site.id) || beatOf.has(site.id) || liveTokens.has(site.id))
      .map((site): Agent => {
        const beat = beatOf.get(site.id);
        const silent = beat !== undefined && now - beat.at > SILENT_BEATS * HEARTBEAT_MS;
        return {
          site: site.id,
          siteName: site.name,
          host: site.host,
          hostName: organisations.get(site.host) ?? site.host,
          checks: assigned.get(site.id) ?? 0,
          tokens: liveTokens.get(site.id) ?? 0,
          state: beat === undefined ? 'never-seen' : silent ? 'silent' : 'online',
          lastSeen: beat ? new Date(beat.at).toISOString() : null,
          version: beat?.version ?? null,
          clockOffsetMs: beat ? Math.round(beat.clockOffsetMs) : null,
          clockSkewed: beat ? Math.abs(beat.clockOffsetMs) > SKEW_LIMIT_MS : false,
          outbox: beat
            ? {
                depth: beat.outbox.depth,
                dropped: beat.outbox.dropped,
                oldestAt: beat.outbox.oldestAt === null ? null : new Date(beat.outbox.oldestAt).toISOString(),
              }
            : null,
        };
      });
    res.json({
      heartbeatSeconds: HEARTBEAT_MS / 1000,
      silentAfterSeconds: (SILENT_BEATS * HEARTBEAT_MS) / 1000,
      skewLimitMs: SKEW_LIMIT_MS,
      items,
    } satisfies AgentsResponse);
  });
  return router;
}
