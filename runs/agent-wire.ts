import type { Secret } from '../common/env-references.js';
import type { Check } from '../probes/check-schema.js';
import { type RunRecord, resultObject } from './record.js';

/**
 * What agents and the server say to each other (the server checks it with
 * server/site-agents/request-schemas.ts). An agent polls its assignments, beats its heart and pushes
 * results in batches; nothing flows the other way.
 * Kept free of the schema library, which the agent does not need and would carry in memory.
 */
export const AGENT_API = '/api/v1/agent';

/** How often an agent says it is alive; silent for three of these, its site is shown as silent. */
export const HEARTBEAT_MS = 15_000;
/** Clocks further apart than this are flagged: results would land in the wrong minute or hour. */
export const SKEW_LIMIT_MS = 2_000;
/** The most results one batch may carry, and the most bytes its JSON may take once inflated. */
export const MAX_BATCH = 5_000;
export const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/**
 * How far ahead of the server's clock a result may start. Further ahead, it is refused: it would show
 * as a check's latest state until that date came. A clock skewed this far is mended at the agent.
 */
export const MAX_AHEAD_MS = 5 * 60_000;

export interface Assignments {
  site: { id: string; name: string };
  /**
   * The checks whose `from` lists the site, as the estate file gives them, with their `${NAME}`
   * references resolved on the server: an agent needs no environment of its own.
   */
  checks: Check[];
  /** The values those references resolved to, so that the agent can keep them out of results and logs. */
  secrets?: Secret[];
  /** Their systems, for labelling /metrics as the server does. */
  systems: { id: string; name: string; owner: string }[];
}

/**
 * A run as an agent pushes it: the public result object, with the id the server deduplicates on.
 * The server's schema of it (server/site-agents/request-schemas.ts) is checked against this type.
 */
export type WireResult = { id: string } & ReturnType<typeof resultObject>;

export function pushedResult(id: string, record: RunRecord): WireResult {
  return { id, ...resultObject(record) };
}
