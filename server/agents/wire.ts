import { z } from 'zod';
import type { ErrorClass, ProbeDetails } from '../../probes/result.js';
import type { Check } from '../config/schema.js';
import type { RunRecord } from '../results/record.js';

/**
 * What agents and the server say to each other, checked by the same schemas at both ends. An agent
 * polls its assignments, beats its heart and pushes results in batches; nothing flows the other way.
 */
export const AGENT_API = '/api/v1/agent';

/** How often an agent says it is alive; silent for three of these, its site is shown as silent. */
export const HEARTBEAT_MS = 15_000;
/** Clocks further apart than this are flagged: results would land in the wrong minute or hour. */
export const SKEW_LIMIT_MS = 2_000;
/** The most results one batch may carry, and the most bytes its JSON may take once inflated. */
export const MAX_BATCH = 5_000;
export const MAX_BATCH_BYTES = 16 * 1024 * 1024;

export interface Assignments {
  site: { id: string; name: string };
  /** The checks whose `from` lists the site, as the estate file gives them. */
  checks: Check[];
  /** Their systems, for labelling /metrics as the server does. */
  systems: { id: string; name: string; owner: string }[];
}

const errorClasses = [
  'dns',
  'refused',
  'timeout',
  'tls',
  'http_status',
  'assertion',
  'reset',
  'unreachable',
  'invalid',
  'skipped',
] as const satisfies readonly (ErrorClass | 'skipped')[];

const ms = z.number().finite().min(0).max(86_400_000);

const phasesSchema = z.strictObject({
  dnsMs: ms.nullable(),
  connectMs: ms.nullable(),
  tlsMs: ms.nullable(),
  ttfbMs: ms.nullable(),
  transferMs: ms.nullable(),
  totalMs: ms,
});

/** One result as an agent pushes it: the public result object plus an id unique to the run. */
export const pushedResultSchema = z
  .strictObject({
    id: z.string().min(1).max(100),
    checkId: z.string().min(1).max(100),
    vantagePoint: z.string().max(100).optional(),
    startedAt: z.iso.datetime({ offset: true }),
    ok: z.boolean().optional(),
    state: z.enum(['ok', 'degraded', 'fail', 'skipped']),
    phases: phasesSchema.nullable(),
    status: z.number().int().min(100).max(999).optional(),
    error: z.strictObject({ class: z.enum(errorClasses), message: z.string().max(4_000) }).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((result, ctx) => {
    if (result.state !== 'skipped' && result.phases === null) {
      ctx.addIssue({ code: 'custom', path: ['phases'], message: `a ${result.state} result has phases` });
    }
    if (result.ok !== undefined && result.ok !== (result.state === 'ok' || result.state === 'degraded')) {
      ctx.addIssue({
        code: 'custom',
        path: ['ok'],
        message: `ok is ${result.ok} but state is ${result.state}`,
      });
    }
  });

export type PushedResult = z.infer<typeof pushedResultSchema>;

export const batchSchema = z.strictObject({ results: z.array(z.unknown()).max(MAX_BATCH) });

export const heartbeatSchema = z.strictObject({
  version: z.string().min(1).max(64),
  /** The agent's clock when it sent the beat, UTC ms. */
  sentAt: z.number().int().min(0),
  outbox: z.strictObject({
    depth: z.number().int().min(0),
    dropped: z.number().int().min(0),
    oldestAt: z.number().int().min(0).nullable(),
  }),
});

export type Heartbeat = z.infer<typeof heartbeatSchema>;

/** A run as an agent pushes it. */
export function pushedResult(id: string, record: RunRecord): PushedResult {
  return {
    id,
    checkId: record.checkId,
    vantagePoint: record.vantagePoint,
    startedAt: new Date(record.startedAt).toISOString(),
    state: record.state,
    phases: record.phases,
    ...(record.status !== undefined ? { status: record.status } : {}),
    ...(record.error ? { error: record.error } : {}),
    ...(record.details ? { details: record.details as Record<string, unknown> } : {}),
  };
}

/** A pushed result as the server stores it, at the pushing agent's site. */
export function runRecordOf(result: PushedResult, site: string): RunRecord {
  return {
    checkId: result.checkId,
    vantagePoint: site,
    startedAt: Date.parse(result.startedAt),
    state: result.state,
    phases: result.phases,
    ...(result.status !== undefined ? { status: result.status } : {}),
    ...(result.error ? { error: result.error } : {}),
    ...(result.details ? { details: result.details as ProbeDetails } : {}),
  };
}
