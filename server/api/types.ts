import type { checkView, EstateView } from '../estate/view.js';
import type { CheckVerdict, SystemResponsibility } from '../responsibility/system.js';
import type { Problem } from '../responsibility/verdict.js';
import type { VantagePointState } from '../results/vantage.js';
import type { Role, UserSource } from '../store/access.js';
import type { Simulated, Simulation } from './simulated.js';

export type * from '../status/types.js';
export type { SurveyTarget } from '../survey/targets.js';
export type { IncidentView } from './alert-views.js';
export type { ChannelsResponse, ChannelView } from './channel-views.js';
export type { MaintenanceResponse, WindowView } from './maintenance-views.js';
export type { ChannelDeliveryView, NotificationsResponse, NotificationView } from './notification-views.js';
/**
 * The bodies the API answers with: the routes are typed by them (`satisfies`), and the dashboard
 * imports them (types only), so the two cannot drift apart. Types only: nothing here runs.
 */
export type {
  CheckVerdict,
  EstateView,
  Problem,
  Simulated,
  Simulation,
  SystemResponsibility,
  VantagePointState,
};

/** A check as `/checks` lists it (the estate's own list adds `retiredAt` to retired ones). */
export type CheckView = ReturnType<typeof checkView>;
export type Phases = Record<
  'dnsMs' | 'connectMs' | 'tlsMs' | 'ttfbMs' | 'transferMs' | 'totalMs',
  number | null
>;
export type Percentiles = { p50: number | null; p95: number | null; p99: number | null };

export interface ResultObject {
  checkId: string;
  vantagePoint: string;
  startedAt: string;
  ok: boolean;
  state: 'ok' | 'degraded' | 'fail' | 'skipped';
  error?: { class: string; message: string };
  phases: Phases | null;
  status?: number;
  details?: { certificate?: { daysToExpiry: number; issuer: string } };
}

export type CheckDetail = CheckView & {
  latest: { vantagePoint: string; result: ResultObject }[];
  /** Every place the check should run from, including those with no recent result. */
  vantagePoints: VantagePointState[];
} & Simulation;

/** `GET /api/v1/checks`. */
export interface ChecksResponse {
  items: CheckDetail[];
}

/** `GET /api/v1/checks/:id/results`: newest first; `next` is the `to` of the next page. */
export interface ResultsResponse {
  items: ResultObject[];
  next?: string;
}

export type AgentState = 'online' | 'silent' | 'never-seen';

/** A site's agent as its heartbeats describe it. */
export interface Agent {
  site: string;
  siteName: string;
  host: string;
  hostName: string;
  /** How many checks are assigned to the site. */
  checks: number;
  /** How many unrevoked tokens the site has. */
  tokens: number;
  state: AgentState;
  lastSeen: string | null;
  version: string | null;
  /** The agent's clock minus the server's. */
  clockOffsetMs: number | null;
  clockSkewed: boolean;
  outbox: { depth: number; dropped: number; oldestAt: string | null } | null;
}

export interface AgentsResponse {
  heartbeatSeconds: number;
  silentAfterSeconds: number;
  skewLimitMs: number;
  items: Agent[];
}

export interface Summary {
  runs: number;
  counts: { ok: number; degraded: number; fail: number; skipped: number };
  availability: number | null;
  totalMs: { min: number | null; mean: number | null; max: number | null };
  phases: Record<keyof Phases, Percentiles>;
}

export interface SummaryResponse extends Simulation {
  checkId: string;
  window: string;
  from: string;
  to: string;
  /** What the figures were read from: a year of daily rollups has today's hours added. */
  source: 'hourly' | 'daily' | 'hourly+daily';
  overall: Summary;
  /** Runs expected by the schedule since the vantage point was first heard in the window, and those that never came. */
  vantagePoints: (Summary & { vantagePoint: string; expected?: number; unknown?: number })[];
  /** The state now at every place the check should run from, including those with no runs in the window. */
  states: VantagePointState[];
}

export interface SeriesPoint {
  at: string;
  runs: number;
  counts: Summary['counts'];
  availability: number | null;
  phases: Record<keyof Phases, Percentiles>;
}

export interface SeriesResponse extends Simulation {
  checkId: string;
  window: string;
  /** What the figures were read from: a year of daily rollups has today's hours added. */
  source: 'hourly' | 'daily' | 'hourly+daily';
  items: SeriesPoint[];
  vantagePoints: { vantagePoint: string; items: SeriesPoint[] }[];
}

export type { Role, UserSource };

/** `GET /api/v1/me`: who is asking, and what they may do. */
export interface MeResponse {
  kind: 'user' | 'api-token';
  name?: string;
  email?: string;
  role: Role;
  organisations: string[];
  /** The organisations' names, in the same order (an id the estate no longer has is given as it is). */
  organisationNames: string[];
  /** Where a person's account came from. */
  source?: UserSource;
  /** What each change made with this session's cookie sends as `X-CSRF-Token` (people only). */
  csrf?: string;
  can: {
    admin: boolean;
    /** The systems and sites of the estate this principal may act on (acknowledge, plan, add notes). */
    actOn: { systems: string[]; sites: string[] };
  };
}

/** A person who may sign in, as admins see them: never a password hash or claims. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  organisations: string[];
  source: UserSource;
  createdAt: string;
  updatedAt: string;
  lastSignInAt: string | null;
}

export interface UsersResponse {
  items: UserView[];
}

/** An API token, as admins see it: never its secret or the secret's hash. */
export interface ApiTokenView {
  id: string;
  role: Role;
  organisations: string[];
  label: string | null;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface ApiTokensResponse {
  items: ApiTokenView[];
}

/** `POST /api/v1/api-tokens`: the token's text, shown this once. */
export interface ApiTokenCreated extends ApiTokenView {
  token: string;
}

export interface AuditEntryView {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  /** The address the request came from. */
  address: string | null;
  detail: Record<string, unknown> | null;
}

/** `GET /api/v1/audit`: newest first; `next` is the `before` of the next (older) page. */
export interface AuditResponse {
  items: AuditEntryView[];
  next?: number;
}

/** A note a partner (or an admin) keeps on a system or site. */
export interface NoteView {
  id: number;
  subject: { kind: 'system' | 'site'; id: string };
  /** How the audit log names the author: an email, or `token:<id>`. */
  author: string;
  authorName: string;
  text: string;
  at: string;
}

export interface NotesResponse {
  items: NoteView[];
}

/** `/principles/:id/compliance`: a principle judged over a period, item by item, with its rules. */
export type ComplianceResponse = import('../principles/compliance.js').Compliance & Simulation;
export type ComplianceItem = import('../principles/compliance.js').ComplianceItem;

/**
 * `/compliance`: every principle judged over one period (or each over its own window), those sharing a
 * period in one pass over the timeline; each with its target as `/principles` gives it.
 */
export interface ComplianceListResponse {
  accounting: { version: number; text: string };
  items: (ComplianceResponse & { target: number })[];
}

/** `/principles`: each principle's status over its own window (or 30 days), with its worst items. */
export interface PrinciplesResponse {
  accounting: { version: number; text: string };
  principles: {
    id: string;
    title: string;
    metric: string;
    status: ComplianceResponse['status'];
    value: number | null;
    target: number;
    window: string;
    period: { from: string; to: string };
    message?: string;
    worst: ComplianceItem[];
    /** The part of the period the demo simulated. */
    simulated?: Simulated;
  }[];
}

/** `/organisations/:id/compliance`: one partner's scorecard, and only the gaps attributed to it. */
export interface OrganisationComplianceResponse {
  organisation: { id: string; name: string };
  accounting: { version: number; text: string };
  principles: {
    id: string;
    title: string;
    metric: string;
    period: { from: string; to: string };
    /** Over what the organisation hosts and owns. */
    status: ComplianceResponse['status'] | 'no-data';
    value: number | null;
    target: number;
    /** Down minutes attributed to the organisation, as host or owner, over every item. */
    responsibleMinutes: number;
    /** Each (site, system) with minutes attributed to it, most first. */
    gaps: {
      site: string | null;
      system: string | null;
      status: ComplianceItem['status'];
      value: number | null;
      minutes: number;
      roles: ComplianceItem['attribution'];
    }[];
    message?: string;
    /** The part of the period the demo simulated. */
    simulated?: Simulated;
  }[];
}

/** `/checks/:id/outages`: down stretches outside maintenance at each vantage point, and whose. */
export interface OutagesResponse extends Simulation {
  checkId: string;
  from: string;
  to: string;
  /** Given when asked for: the outages' parts within core hours only, or all time. */
  hours?: 'core' | '24x7';
  accounting: { version: number; text: string };
  vantagePoints: import('../principles/outages.js').VantageOutages[];
}

/** `/organisations/:id/outages`: the outages in a period with minutes attributed to one organisation. */
export interface OrganisationOutagesResponse extends Simulation {
  organisation: { id: string; name: string };
  period: { from: string; to: string };
  accounting: { version: number; text: string };
  /** The organisation's minutes over every outage listed. */
  minutes: number;
  outages: import('../principles/organisation-outages.js').OrganisationOutage[];
}

/** `/overview/now`: what the overview redraws on its own (failing now, grouped; silent agents). */
export type OverviewNowResponse = import('../overview/live.js').OverviewNow;
export type FailingLine = import('../overview/failing.js').FailingLine;

/** `/overview?period=&principle=`: the economy at a glance over a period, compared with the one before. */
export interface OverviewResponse extends Simulation {
  period: { text: string; from: string; to: string };
  previous: { text: string; from: string; to: string };
  accounting: { version: number; text: string };
  scorecard: import('../overview/scorecard.js').Scorecard;
  /** Every availability principle's items, or the one principle asked for; null when there is none. */
  heatmap: import('../overview/heatmap.js').Heatmap | null;
  /** The principles the heatmap can be drawn for. */
  heatmapPrinciples: { id: string; title: string; metric: string }[];
  now: OverviewNowResponse;
  /** Null before any campaign has published its results. */
  survey: import('../overview/survey-headline.js').SurveyHeadline | null;
}
