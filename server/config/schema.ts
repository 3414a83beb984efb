import { z } from 'zod';
import {
  boundedInt,
  cronSchema,
  dateSchema,
  durationSchema,
  headersSchema,
  idSchema,
  localDateTimeSchema,
  nameSchema,
  strictObject,
  tagsSchema,
  valueText,
} from '../../common/fields.js';
import { checkSchema } from '../../probes/check-schema.js';
import { instrumentIds } from '../../surveys/instruments.js';
import { alertsSchema } from '../alerts/config.js';
import { roles } from '../store/access.js';
import { metricTargetIssues } from './metric-target.js';
import { smtpSchema } from './smtp.js';
import { surveyItemIssues } from './survey-item.js';

export const organisationKinds = [
  'acute',
  'community',
  'mental-health',
  'community-mental-health',
  'gp-practice',
  'gp-federation',
  'primary-care-network',
  'social-care',
  'local-authority',
  'commissioner',
  'ambulance',
  'hospice',
  'other',
] as const;

export const organisationSchema = strictObject({
  id: idSchema,
  name: nameSchema,
  kind: z.enum(organisationKinds),
  ods: z
    .string()
    .regex(/^[A-Z0-9]{3,6}$/, 'an ODS code is 3 to 6 capital letters or digits, such as RXX')
    .optional(),
});

export const siteSchema = strictObject({
  id: idSchema,
  name: nameSchema,
  /** The organisation with primary responsibility for IT infrastructure at the site. */
  host: idSchema,
  kind: z.enum(['hospital', 'surgery', 'clinic', 'office', 'care-home', 'community', 'other']).optional(),
  tags: tagsSchema,
});

export const systemSchema = strictObject({
  id: idSchema,
  name: nameSchema,
  owner: idSchema,
  kind: z
    .enum(['epr', 'gp-system', 'shared-care-record', 'email', 'identity', 'network', 'wifi', 'vdi', 'other'])
    .optional(),
  supplier: nameSchema.optional(),
  tags: tagsSchema,
});

/** Net scores run from -100 to 100; no target of any metric (days, scores, ms) goes past a million. */
const percentOrNumber = z.union([
  z.number().min(-100, 'must be at least -100').max(1_000_000, 'must be at most 1,000,000'),
  z
    .string()
    .regex(/^[+-]?\d+(\.\d+)?(%|ms|s)?$/, 'a target is a number, a percentage (99.9%) or a time (3s, 500ms)')
    .refine((text) => targetInRange(text), {
      error: (issue) =>
        `target '${valueText(issue.input)}' is out of range: a percentage is from -100% to 100%, a time at most 86400s`,
    }),
]);

function targetInRange(text: string): boolean {
  const value = Number.parseFloat(text);
  if (text.endsWith('%')) return value >= -100 && value <= 100;
  if (text.endsWith('ms')) return value >= 0 && value <= 86_400_000;
  if (text.endsWith('s')) return value >= 0 && value <= 86_400;
  return value >= -100 && value <= 1_000_000;
}

export const principleSchema = strictObject({
  id: idSchema,
  title: nameSchema,
  description: z.string().optional(),
  metric: z.enum([
    'availability',
    'latency',
    'certificate-expiry',
    'survey-score',
    'survey-net',
    'survey-share',
  ]),
  percentile: z.number().min(1).max(100).optional(),
  /** The survey item a survey-net or survey-share principle reads, such as infra.available. */
  item: z.string().min(1).max(100).optional(),
  /** The answers a survey-share principle counts, such as [always, usually]. */
  answers: z
    .array(z.union([z.string().min(1).max(100), z.number()]))
    .min(1)
    .max(20)
    .optional(),
  target: percentOrNumber,
  window: durationSchema('1h', '400d').optional(),
  hours: z.enum(['core', '24x7']).optional(),
  scope: strictObject({
    systems: z.array(idSchema).optional(),
    sites: z.array(idSchema).optional(),
    organisations: z.array(idSchema).optional(),
    tags: z.array(idSchema).optional(),
  }).optional(),
}).superRefine((principle, ctx) => {
  // A latency principle measures time: a percentage would be read as milliseconds, silently wrong.
  const { metric, target, percentile } = principle;
  if (metric === 'latency' && (typeof target === 'number' ? target < 0 : /^-|%$/.test(target)))
    ctx.addIssue({
      code: 'custom',
      path: ['target'],
      message: `a latency target is a time, such as 3s or 500ms (a bare number is milliseconds), not '${target}'`,
    });
  if (metric !== 'latency' && percentile !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['percentile'],
      message: `only latency principles read a percentile; this one's metric is ${metric}`,
    });
  for (const issue of [...surveyItemIssues(principle), ...metricTargetIssues(principle)])
    ctx.addIssue({ code: 'custom', ...issue });
});

const channelCommon = { id: idSchema, organisation: idSchema, name: nameSchema.optional() };
/** Headers a webhook's receiver relies on being Vantage's own (and any X-Vantage-*). */
const OWN_WEBHOOK_HEADERS = new Set(['content-type', 'idempotency-key', 'user-agent']);
const isOwnHeader = (name: string) =>
  OWN_WEBHOOK_HEADERS.has(name.toLowerCase()) || name.toLowerCase().startsWith('x-vantage-');
const webhookUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

export const channelSchema = z.discriminatedUnion('type', [
  strictObject({
    ...channelCommon,
    type: z.literal('email'),
    to: z.array(z.email({ error: (issue) => `'${valueText(issue.input)}' is not an email address` })).min(1),
  }),
  strictObject({ ...channelCommon, type: z.literal('teams'), url: webhookUrl }),
  strictObject({ ...channelCommon, type: z.literal('slack'), url: webhookUrl }),
  strictObject({
    ...channelCommon,
    type: z.literal('webhook'),
    url: webhookUrl,
    headers: headersSchema
      .refine(
        (headers) => !Object.keys(headers).some(isOwnHeader),
        'Content-Type, Idempotency-Key, User-Agent and X-Vantage-* are set by Vantage itself; remove them from headers',
      )
      .optional(),
    /** Signs each body with HMAC-SHA256 (X-Vantage-Signature). Give it as ${NAME}. */
    secret: z.string().min(16, 'must be at least 16 characters, so it cannot be guessed').optional(),
  }),
  strictObject({ ...channelCommon, type: z.literal('alertmanager'), url: webhookUrl }),
]);

export const surveySchema = strictObject({
  id: idSchema,
  title: nameSchema,
  opens: dateSchema,
  closes: dateSchema,
  publish: z.enum(['on-close', 'live']).optional(),
  systems: z.record(idSchema, z.enum(instrumentIds)),
}).superRefine((survey, ctx) => {
  if (survey.closes < survey.opens) {
    ctx.addIssue({
      code: 'custom',
      path: ['closes'],
      message: `closes (${survey.closes}) is before opens (${survey.opens})`,
    });
  }
});

/** What a maintenance window covers: any check of these systems or sites, these checks, these tags. */
const maintenanceScope = strictObject({
  systems: z.array(idSchema).optional(),
  sites: z.array(idSchema).optional(),
  checks: z.array(idSchema).optional(),
  tags: z.array(idSchema).optional(),
}).refine((scope) => Object.values(scope).some((list) => (list?.length ?? 0) > 0), {
  error: 'a window covers something: give systems, sites, checks or tags',
});

/**
 * Planned work: once (`start` and `end`, London time) or again and again (`cron` and `duration`).
 * Runs go on inside a window and are kept, but its time counts as maintenance, not up or down.
 */
export const maintenanceSchema = strictObject({
  id: idSchema,
  title: nameSchema,
  start: localDateTimeSchema.optional(),
  end: localDateTimeSchema.optional(),
  cron: cronSchema.optional(),
  duration: durationSchema('1m', '7d').optional(),
  scope: maintenanceScope,
}).superRefine((window, ctx) => {
  const once = window.start !== undefined || window.end !== undefined;
  const repeated = window.cron !== undefined || window.duration !== undefined;
  if (once && repeated)
    ctx.addIssue({
      code: 'custom',
      message: 'a window is either once (start, end) or repeated (cron, duration), not both',
    });
  else if (!once && !repeated)
    ctx.addIssue({ code: 'custom', message: 'give start and end, or cron and duration' });
  else if (once && (window.start === undefined || window.end === undefined))
    ctx.addIssue({
      code: 'custom',
      path: [window.start === undefined ? 'start' : 'end'],
      message: 'a window given once needs both start and end',
    });
  else if (repeated && (window.cron === undefined || window.duration === undefined))
    ctx.addIssue({
      code: 'custom',
      path: [window.cron === undefined ? 'cron' : 'duration'],
      message: 'a repeated window needs both cron and duration',
    });
  else if (once && (window.end as string) <= (window.start as string))
    ctx.addIssue({
      code: 'custom',
      path: ['end'],
      message: `end (${window.end}) is not after start (${window.start})`,
    });
});

const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time is HH:MM, such as 08:00');

/** The working hours `hours: core` principles count, in London time (default Monday–Friday 08:00–18:30). */
export const coreHoursSchema = strictObject({
  days: z.array(z.enum(weekdays)).min(1, 'list at least one day, such as [mon, tue, wed, thu, fri]'),
  start: clockTime,
  end: clockTime,
}).superRefine((hours, ctx) => {
  if (hours.end <= hours.start)
    ctx.addIssue({
      code: 'custom',
      path: ['end'],
      message: `end (${hours.end}) is not after start (${hours.start})`,
    });
});
export type CoreHoursSetting = z.infer<typeof coreHoursSchema>;
export const WEEKDAYS = weekdays;

export const settingsSchema = strictObject({
  // Every day boundary (rollups, survey dates, cron, the dashboard) is London's today, so only that
  // zone is taken: a key that named another and was silently ignored would mislead.
  timezone: z
    .string()
    .refine(
      (zone) => zone === 'Europe/London',
      'only Europe/London is supported yet: every time is shown and every day counted in London time',
    )
    .optional(),
  /** Reverse proxies whose X-Forwarded-For is believed: addresses, or `loopback`. */
  trustProxy: z.array(z.string().min(1)).optional(),
  /** Lets this file retire all the active checks, or more than half; refused otherwise. */
  allowRetiringMostChecks: z.boolean().optional(),
  // Hourly rollups are kept 400 days: raw results kept longer would outlive what sums them.
  retention: strictObject({
    raw: durationSchema('1d', '400d').optional(),
    /** How long the audit log is kept (default 730d). */
    audit: durationSchema('30d', '3650d').optional(),
  }).optional(),
  coreHours: coreHoursSchema.optional(),
  /** Days that are not core hours, whatever the weekday. */
  bankHolidays: z.array(dateSchema).optional(),
  survey: strictObject({
    minGroupSize: z
      .number()
      .int()
      .min(10, 'minGroupSize is never below 10')
      .max(10_000, 'must be at most 10,000')
      .optional(),
    rateLimitPerMinute: boundedInt(1, 100_000).optional(),
  }).optional(),
  /** The SMTP server email channels send through. */
  smtp: smtpSchema.optional(),
  /** Frozen reports made on the first of each month: the month before (default on), the quarter before (default off). */
  reports: strictObject({
    monthly: z.boolean().optional(),
    quarterly: z.boolean().optional(),
  }).optional(),
});

/** What `access.public` may open to anyone: only parts that exist. */
export const publicParts = ['metrics', 'surveys', 'status'] as const;
export type PublicPart = (typeof publicParts)[number];

/** A role, and for a partner the organisations it acts for. */
export const grantSchema = strictObject({
  role: z.enum(roles),
  organisations: z.array(idSchema).optional(),
}).superRefine((grant, ctx) => {
  const count = grant.organisations?.length ?? 0;
  if (grant.role === 'partner' && count === 0)
    ctx.addIssue({
      code: 'custom',
      path: ['organisations'],
      message: 'a partner acts for at least one organisation',
    });
  if (grant.role !== 'partner' && count > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['organisations'],
      message: `only a partner has organisations; a ${grant.role} reads (or acts on) the whole economy`,
    });
});
export type Grant = z.infer<typeof grantSchema>;

export const oidcSchema = strictObject({
  /** Such as https://login.microsoftonline.com/{tenant}/v2.0 */
  issuer: z.url({
    protocol: /^https?$/,
    error: 'must be the issuer URL, such as https://login.microsoftonline.com/TENANT/v2.0',
  }),
  clientId: z.string().min(1, 'must not be empty'),
  /** Give it as ${NAME}: it is read from the environment. */
  clientSecret: z.string().min(1, 'must not be empty'),
  /** The address the provider sends people back to; by default this server's /auth/callback. */
  redirectUri: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** What the sign-in button says. */
  label: nameSchema.optional(),
  /** Values of the `roles` claim (Entra app roles) and what each grants. */
  roles: z.record(z.string().min(1), grantSchema).optional(),
  /** Group ids in the `groups` claim and what each grants: used only when no app role matched. */
  groups: z.record(z.string().min(1), grantSchema).optional(),
  /** Email addresses (the `email` or `preferred_username` claim) and what each grants. */
  emails: z.record(z.string().min(1), grantSchema).optional(),
});
export type OidcSettings = z.infer<typeof oidcSchema>;

export const accessSchema = strictObject({
  /** Parts readable without signing in. */
  public: z.array(z.enum(publicParts)).optional(),
  session: strictObject({
    /** Signed out after this long without a request (default 1h). */
    idle: durationSchema('5m', '1d').optional(),
    /** Signed out this long after signing in, whatever the use (default 12h). */
    absolute: durationSchema('1h', '30d').optional(),
  }).optional(),
  oidc: oidcSchema.optional(),
});
export type Access = z.infer<typeof accessSchema>;

export const estateSchema = strictObject({
  organisations: z.array(organisationSchema).default([]),
  sites: z.array(siteSchema).default([]),
  systems: z.array(systemSchema).default([]),
  checks: z.array(checkSchema).default([]),
  principles: z.array(principleSchema).default([]),
  channels: z.array(channelSchema).default([]),
  /** Rules, routes and delivery of alerts; every key has a default (alerts/config.ts). */
  alerts: alertsSchema.default({}),
  surveys: z.array(surveySchema).default([]),
  maintenance: z.array(maintenanceSchema).default([]),
  settings: settingsSchema.default({}),
  access: accessSchema.default({}),
});

export type Estate = z.infer<typeof estateSchema>;
export type Organisation = z.infer<typeof organisationSchema>;
export type Site = z.infer<typeof siteSchema>;
export type System = z.infer<typeof systemSchema>;
export type Check = z.infer<typeof checkSchema>;
export type Principle = z.infer<typeof principleSchema>;
export type Channel = z.infer<typeof channelSchema>;
export type Survey = z.infer<typeof surveySchema>;
export type MaintenanceWindow = z.infer<typeof maintenanceSchema>;

/** The kinds of entity the estate lists, each with an id unique within its kind. */
export const entityKinds = {
  organisations: 'organisation',
  sites: 'site',
  systems: 'system',
  checks: 'check',
  principles: 'principle',
  channels: 'channel',
  surveys: 'survey',
  maintenance: 'maintenance window',
} as const;
export type EntityList = keyof typeof entityKinds;
