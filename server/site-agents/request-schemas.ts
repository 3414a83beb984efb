import { z } from 'zod';
import type { ErrorClass, ProbeDetails } from '../../probes/result.js';
import type { WireResult } from '../../runs/agent-wire.js';
import { MAX_BATCH } from '../../runs/agent-wire.js';
import type { RunRecord } from '../../runs/record.js';

/** The server's checks of what agents send: each result, each batch, each heartbeat. */
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
  'local',
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

/** The compiler's proof that every result an agent pushes (runs/agent-wire.ts) is one this schema takes. */
true satisfies [WireResult] extends [z.input<typeof pushedResultSchema>] ? true : false;

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
