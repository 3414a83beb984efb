import { z } from 'zod';
import { type DurationText, durationMs } from '../../common/duration.js';
import { boundedInt, durationSchema, idSchema, strictObject } from '../../common/fields.js';
import { SEVERITIES, type Severity } from './message.js';

/**
 * The estate file's `alerts:` section. Every key has a default, so an estate that lists only `channels`
 * already alerts. Rules and options that Vantage cannot act on yet are refused by name, never accepted
 * and ignored (someone relying on them would wait for a message that never comes).
 */

const severity = z.enum(SEVERITIES as [Severity, ...Severity[]]);

/** The rule names the estate file uses (in `rules:` and a route's `rules:` filter). */
export const ruleNames = ['failures', 'agentSilent', 'certificate', 'latency', 'burnRate'] as const;
export type RuleName = (typeof ruleNames)[number];

/** The rule as incidents and messages name it. */
export const RULE_IDS = {
  failures: 'consecutive-failures',
  agentSilent: 'agent-silent',
  certificate: 'certificate-expiry',
  latency: 'latency',
  burnRate: 'burn-rate',
} as const satisfies Record<RuleName, string>;

const enabled = z.boolean().optional();

/** A key in the wrong place: any value is refused with this message. */
function refused(message: string) {
  return z
    .unknown()
    .superRefine((_value, ctx) => {
      ctx.addIssue({ code: 'custom', message });
    })
    .optional();
}

/** `0s` (none), or a duration from `min` to `max`. */
const ZERO = /^0(ms|s|m|h|d)$/;
function durationOrZero(min: DurationText, max: DurationText) {
  const duration = durationSchema(min, max);
  return z.string().superRefine((text, ctx) => {
    if (ZERO.test(text)) return;
    const parsed = duration.safeParse(text);
    if (!parsed.success)
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', message: `${issue.message} (or 0s for none)` });
  });
}

export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const clockTime = z
  .string({ error: 'expected a time such as "18:30"' })
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { error: 'must be a time such as "18:30", from 00:00 to 23:59' });

/** Quiet from `from` on each day named until the next `to` (the next day when `to` is not later). */
const quietHoursSchema = strictObject({
  days: z.array(z.enum(DAY_NAMES)).min(1).optional(),
  from: clockTime,
  to: clockTime,
});

export const alertsSchema = strictObject({
  rules: strictObject({
    /** A check failing `after` runs in a row at one vantage point; over once `recoverAfter` are up in a row. */
    failures: strictObject({
      enabled,
      after: boundedInt(1, 100).optional(),
      recoverAfter: boundedInt(1, 100).optional(),
      severity: severity.optional(),
    }).optional(),
    /** A site's agent not heard from for this long: the site's host is told; its checks there are unknown. */
    agentSilent: strictObject({
      enabled,
      after: durationSchema('1m', '7d').optional(),
      severity: severity.optional(),
    }).optional(),
    /** A TLS certificate a check was sent expires within this long. */
    certificate: strictObject({
      enabled,
      within: durationSchema('1d', '400d').optional(),
      severity: severity.optional(),
    }).optional(),
    /**
     * A check's total time at one vantage point over its last `for`: the percentile over `over`, with at
     * least `minSlowRuns` runs over it. Without `over`, each latency principle's own percentile and target.
     */
    latency: strictObject({
      enabled,
      percentile: z.number().min(50).max(100).optional(),
      over: durationSchema('1ms', '10m').optional(),
      for: durationSchema('1m', '1d').optional(),
      minSlowRuns: boundedInt(1, 1000).optional(),
      severity: severity.optional(),
    }).optional(),
    /** Availability principles' error budgets burning fast (both windows of a pair at its rate). */
    burnRate: strictObject({
      enabled,
      principles: z.union([z.literal('all'), z.array(idSchema).min(1)]).optional(),
      minBadRuns: boundedInt(1, 1000).optional(),
      /** By the pair's long window as for a 30-day principle. */
      severity: strictObject({
        '1h': severity.optional(),
        '6h': severity.optional(),
        '1d': severity.optional(),
        '3d': severity.optional(),
      }).optional(),
    }).optional(),
  }).optional(),
  /**
   * Whose a failure (or slowness) is needs every vantage point's run of the round: before a host's
   * incident opens, its series waits up to `grace` for the others' (default: the check's interval, at
   * most 1m; 0s: no wait).
   */
  localisation: strictObject({ grace: durationOrZero('1s', '10m').optional() }).optional(),
  /** Per-channel filters: a channel listed here gets only the rules and severities it names. */
  routes: z
    .array(
      strictObject({
        channel: idSchema,
        rules: z.array(z.enum(ruleNames)).min(1).optional(),
        severities: z.array(severity).min(1).optional(),
        /** London wall-clock hours when this channel's messages below critical wait (quiet-hours.ts). */
        quietHours: quietHoursSchema.optional(),
      }),
    )
    .optional(),
  /** The dashboard's address as people reach it (behind a reverse proxy), for links in messages. */
  dashboardUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** Also send every message to the channels of the commissioner organisations (kind: commissioner). */
  copyCommissioner: z.boolean().optional(),
  /** How long the notification outbox keeps trying a message before it shows it as undelivered. */
  delivery: strictObject({ giveUpAfter: durationSchema('1m', '7d').optional() }).optional(),
  /**
   * Steps taken while an incident is not acknowledged: each tells further channels once its time since
   * the incident opened has passed. `organisations` and `severities` narrow a step to some incidents.
   */
  escalate: z
    .array(
      strictObject({
        after: durationSchema('1m', '7d'),
        channels: z.array(idSchema).min(1),
        organisations: z.array(idSchema).min(1).optional(),
        severities: z.array(severity).min(1).optional(),
      }),
    )
    .max(10)
    .optional(),
  /** Told again at this interval while an incident is open and nobody has acknowledged it. */
  remind: durationSchema('5m', '7d').optional(),
  quietHours: refused('quiet hours are set per channel: give them under alerts.routes, with the channel'),
});
export type AlertsConfig = z.infer<typeof alertsSchema>;

/** Days as 0 (Sunday) to 6; times as minutes after London midnight. */
export interface QuietHours {
  days: number[];
  fromMinute: number;
  toMinute: number;
}

export interface EscalationStep {
  afterMs: number;
  channels: string[];
  organisations?: string[];
  severities?: Severity[];
}

export interface LatencySettings {
  enabled: boolean;
  percentile: number;
  /** Undefined: each latency principle's own target and percentile. */
  overMs: number | undefined;
  forMs: number;
  minSlowRuns: number;
  severity: Severity;
}

/** The pairs of windows, named by their long window as for a 30-day principle. */
export type BurnPairName = '1h' | '6h' | '1d' | '3d';

export interface BurnRateSettings {
  enabled: boolean;
  principles: 'all' | string[];
  minBadRuns: number;
  severity: Record<BurnPairName, Severity>;
}

export interface AlertSettings {
  failures: { enabled: boolean; after: number; recoverAfter: number; severity: Severity };
  agentSilent: { enabled: boolean; afterMs: number; severity: Severity };
  certificate: { enabled: boolean; withinMs: number; severity: Severity };
  routes: {
    channel: string;
    rules?: RuleName[];
    severities?: Severity[];
    quietHours?: QuietHours;
  }[];
  escalate: EscalationStep[];
  /** Undefined: no reminders. */
  remindMs: number | undefined;
  latency: LatencySettings;
  burnRate: BurnRateSettings;
  /** How long a failing series waits for the rest of its round before its host's incident; undefined: per check. */
  localisationGraceMs: number | undefined;
  copyCommissioner: boolean;
  giveUpAfterMs: number;
  /** Ends in `/`; undefined: the address the server listens on. */
  dashboardUrl: string | undefined;
}

/** The section with every default filled in. */
export function alertSettings(config: AlertsConfig | undefined): AlertSettings {
  const rules = config?.rules;
  return {
    failures: {
      enabled: rules?.failures?.enabled ?? true,
      after: rules?.failures?.after ?? 3,
      recoverAfter: rules?.failures?.recoverAfter ?? 2,
      severity: rules?.failures?.severity ?? 'critical',
    },
    agentSilent: {
      enabled: rules?.agentSilent?.enabled ?? true,
      afterMs: durationMs(rules?.agentSilent?.after ?? '10m'),
      severity: rules?.agentSilent?.severity ?? 'warning',
    },
    certificate: {
      enabled: rules?.certificate?.enabled ?? true,
      withinMs: durationMs(rules?.certificate?.within ?? '14d'),
      severity: rules?.certificate?.severity ?? 'warning',
    },
    latency: {
      enabled: rules?.latency?.enabled ?? true,
      percentile: rules?.latency?.percentile ?? 95,
      overMs: rules?.latency?.over === undefined ? undefined : durationMs(rules.latency.over),
      forMs: durationMs(rules?.latency?.for ?? '10m'),
      minSlowRuns: rules?.latency?.minSlowRuns ?? 3,
      severity: rules?.latency?.severity ?? 'warning',
    },
    burnRate: {
      enabled: rules?.burnRate?.enabled ?? true,
      principles: rules?.burnRate?.principles ?? 'all',
      minBadRuns: rules?.burnRate?.minBadRuns ?? 3,
      severity: {
        '1h': rules?.burnRate?.severity?.['1h'] ?? 'critical',
        '6h': rules?.burnRate?.severity?.['6h'] ?? 'critical',
        '1d': rules?.burnRate?.severity?.['1d'] ?? 'warning',
        '3d': rules?.burnRate?.severity?.['3d'] ?? 'warning',
      },
    },
    routes: (config?.routes ?? []).map((route) => ({
      channel: route.channel,
      ...(route.rules ? { rules: route.rules } : {}),
      ...(route.severities ? { severities: route.severities } : {}),
      ...(route.quietHours ? { quietHours: quietHoursOf(route.quietHours) } : {}),
    })),
    escalate: (config?.escalate ?? []).map((step) => ({
      afterMs: durationMs(step.after),
      channels: step.channels,
      ...(step.organisations ? { organisations: step.organisations } : {}),
      ...(step.severities ? { severities: step.severities } : {}),
    })),
    remindMs: config?.remind ? durationMs(config.remind) : undefined,
    localisationGraceMs:
      config?.localisation?.grace === undefined
        ? undefined
        : ZERO.test(config.localisation.grace)
          ? 0
          : durationMs(config.localisation.grace),
    copyCommissioner: config?.copyCommissioner ?? false,
    giveUpAfterMs: durationMs(config?.delivery?.giveUpAfter ?? '24h'),
    dashboardUrl:
      config?.dashboardUrl &&
      (config.dashboardUrl.endsWith('/') ? config.dashboardUrl : `${config.dashboardUrl}/`),
  };
}

const minuteOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

function quietHoursOf(given: { days?: (typeof DAY_NAMES)[number][]; from: string; to: string }): QuietHours {
  const days = given.days
    ? [...new Set(given.days.map((d) => DAY_NAMES.indexOf(d)))].sort()
    : [0, 1, 2, 3, 4, 5, 6];
  return { days, fromMinute: minuteOf(given.from), toMinute: minuteOf(given.to) };
}
