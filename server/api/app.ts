import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import type { Clock } from '../../common/clock.js';
import type { Env } from '../../common/env-references.js';
import type { Logger } from '../../common/logger.js';
import { AGENT_API } from '../../runs/agent-wire.js';
import { authenticate } from '../access/authenticate.js';
import { refuseCrossSite } from '../access/form-csrf.js';
import { oidcRoutes } from '../access/oidc/routes.js';
import { assertEveryRouteRuled } from '../access/route-rules.js';
import { allow, anyone, provideAccessContext, publicPart } from '../access/rules.js';
import { signInRoutes } from '../access/sign-in/routes.js';
import { SignInThrottle } from '../access/throttle.js';
import type { Notifier } from '../alerts/message.js';
import type { Estate } from '../config/schema.js';
import type { DemoInbox } from '../demo/inbox/inbox.js';
import { demoInboxRoutes } from '../demo/inbox/routes.js';
import { refusedResultsCounter } from '../metrics.js';
import type { ComplianceThread } from '../principles/compliance-thread.js';
import type { IncidentRow } from '../store/incidents.js';
import type { Stores } from '../store/stores.js';
import { surveyForm } from '../survey-form/router.js';
import { errorHandler, notFound } from './errors.js';
import { createRateLimiter, DEFAULT_RATE_LIMIT_PER_MINUTE } from './rate-limit.js';
import { agentRoutes } from './routes/agent-api.js';
import { agentsRoutes } from './routes/agents-status.js';
import { alertRoutes } from './routes/alerts.js';
import { apiTokenRoutes } from './routes/api-tokens.js';
import { auditRoutes } from './routes/audit-log.js';
import { channelRoutes } from './routes/channels.js';
import { checkRoutes } from './routes/checks.js';
import { estateRoutes } from './routes/estate.js';
import { maintenanceRoutes } from './routes/maintenance.js';
import { meRoutes } from './routes/me.js';
import { noteRoutes } from './routes/notes.js';
import { notificationRoutes } from './routes/notifications.js';
import { overviewRoutes } from './routes/overview.js';
import { principleRoutes } from './routes/principles.js';
import { reportRoutes } from './routes/reports.js';
import { statusRoutes } from './routes/status.js';
import { surveyRoutes } from './routes/surveys.js';
import { systemRoutes } from './routes/systems.js';
import { userRoutes } from './routes/users.js';
import { securityHeaders } from './security-headers.js';

export interface AppDeps {
  store: Stores;
  clock: Clock;
  logger: Logger;
  /** Whether everything behind the API is running (the scheduler, once there is one). */
  isReady?: () => boolean;
  /** The built dashboard; omitted, only the API is served. */
  webRoot?: string;
  /** The registry /metrics serves, with the API's own series added; omitted, there is no /metrics. */
  metrics?: Registry;
  /** The estate as configured now (surveys and settings are not kept in the database). */
  estate?: () => Estate | undefined;
  /** Where the checks' `${NAME}` references are resolved for agents; omitted, the process's environment. */
  env?: Env;
  /** Whether the server runs the demo: its sign-in page then offers the demo accounts. */
  demo?: boolean;
  /** The notification outbox, where test messages to a channel are queued; omitted, none can be sent. */
  notifier?: Notifier;
  /** The demo's inbox: given, its webhook sink and page are served (the demo only). */
  demoInbox?: DemoInbox;
  /**
   * The key acknowledgement links are signed with, and what tells an incident's channels it was
   * acknowledged; omitted, links signed by no one (so none works) and nobody told.
   */
  alerts?: { ackKey: Buffer; acknowledged?: (incident: IncidentRow) => Promise<void> };
  /** The thread principles, the overview and reports share latency work with; omitted, none. */
  complianceThread?: ComplianceThread;
}

/** The whole HTTP surface, built from its dependencies and nothing else. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // First, so every answer carries them: pages, API, static files, refusals and errors.
  app.use(securityHeaders());
  // One limit per address for survey responses, whether they come from the form or the API.
  const estate = deps.estate ?? (() => undefined);
  const limiter = createRateLimiter(
    () => estate()?.settings.survey?.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
  );
  const survey = { estate, limiter };
  // Behind a reverse proxy the client's address (for the survey's rate limit) is the one it forwards,
  // from the proxies the estate file trusts only.
  app.set('trust proxy', (address: string) => trusted(deps.estate?.()?.settings.trustProxy ?? [], address));
  provideAccessContext(app.locals, {
    estate,
    // A page asked for without a session: to sign in, and back to the page after.
    onPageRefused: (req, res) => {
      res
        .set('Cache-Control', 'no-store')
        .redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
    },
  });
  // Who is asking is decided once, before any route; each route's guard then says whether they may.
  app.use(authenticate({ store: deps.store.access, clock: deps.clock, access: () => estate()?.access }));
  // A change a browser was made to send from another site is refused before any route sees it.
  app.use(refuseCrossSite);
  // No body is read but by the routes that take one, each within its own limits (body.ts).
  app.use(
    AGENT_API,
    agentRoutes({
      stores: deps.store,
      clock: deps.clock,
      logger: deps.logger,
      env: deps.env ?? process.env,
      ...(deps.metrics ? { onRefused: refusedResultsCounter(deps.metrics) } : {}),
    }),
  );

  app.get('/healthz', allow(anyone), (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', allow(anyone), async (_req, res) => {
    try {
      await deps.store.ping();
    } catch (error) {
      res.status(503).json({
        error: { code: 'unavailable', message: `database not writable: ${(error as Error).message}` },
      });
      return;
    }
    if (deps.isReady && !deps.isReady()) {
      res.status(503).json({ error: { code: 'unavailable', message: 'still starting' } });
      return;
    }
    res.json({ status: 'ready' });
  });

  if (deps.metrics) {
    const registry = deps.metrics;
    app.get('/metrics', allow(publicPart('metrics')), async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    });
  }

  app.use(
    signInRoutes({
      store: deps.store.access,
      clock: deps.clock,
      estate,
      throttle: new SignInThrottle(deps.clock),
      demo: deps.demo ?? false,
    }),
  );
  app.use('/api/v1', estateRoutes(deps.store.estate, deps.store.demoHistory));
  app.use('/api/v1', checkRoutes(deps.store, deps.clock));
  app.use('/api/v1', systemRoutes(deps.store, deps.clock));
  app.use(
    '/api/v1',
    principleRoutes({ stores: deps.store, clock: deps.clock, estate, thread: deps.complianceThread }),
  );
  app.use(
    '/api/v1',
    overviewRoutes({ stores: deps.store, clock: deps.clock, estate, thread: deps.complianceThread }),
  );
  app.use('/api/v1', agentsRoutes(deps.store, deps.clock));
  app.use('/api/v1', statusRoutes(deps.store, deps.clock, estate));
  app.use('/api/v1', meRoutes(deps.store.estate, estate));
  app.use('/api/v1', noteRoutes(deps.store, deps.clock));
  app.use('/api/v1', maintenanceRoutes(deps.store, deps.clock, estate));
  app.use('/api/v1', notificationRoutes(deps.store, deps.clock, estate));
  app.use(
    '/api/v1',
    channelRoutes({
      stores: deps.store,
      clock: deps.clock,
      estate,
      env: deps.env ?? process.env,
      ...(deps.notifier ? { notifier: deps.notifier } : {}),
      ...(deps.demoInbox ? { demoInbox: '/demo/inbox' } : {}),
    }),
  );
  app.use('/api/v1', userRoutes(deps.store.access, deps.clock, estate));
  app.use('/api/v1', apiTokenRoutes(deps.store.access, deps.clock, estate));
  app.use('/api/v1', auditRoutes(deps.store.access));
  const alerts = alertRoutes({
    stores: deps.store,
    clock: deps.clock,
    estate,
    ackKey: deps.alerts?.ackKey ?? randomBytes(32),
    ...(deps.webRoot ? { shell: dashboardShell(deps.webRoot) } : {}),
    ...(deps.alerts?.acknowledged ? { acknowledged: deps.alerts.acknowledged } : {}),
  });
  app.use('/api/v1', alerts.api);
  app.use(alerts.pages);
  const reports = reportRoutes({
    stores: deps.store,
    clock: deps.clock,
    estate,
    thread: deps.complianceThread,
  });
  app.use('/api/v1', reports.api);
  app.use(reports.files);
  app.use(
    '/api/v1',
    surveyRoutes({
      store: deps.store.survey,
      clock: deps.clock,
      estate: survey.estate,
      limiter: survey.limiter,
    }),
  );
  app.use(
    surveyForm({
      store: deps.store.survey,
      clock: deps.clock,
      estate: survey.estate,
      limiter: survey.limiter,
    }),
  );
  if (deps.demoInbox) app.use(demoInboxRoutes(deps.demoInbox, estate));
  app.use('/api', notFound);
  // Sign-in through the organisation's identity provider, before the dashboard's pages.
  app.use(
    oidcRoutes({
      store: deps.store.access,
      clock: deps.clock,
      logger: deps.logger,
      env: deps.env ?? process.env,
      estate,
    }),
  );

  if (deps.webRoot && !existsSync(join(deps.webRoot, 'index.html'))) {
    app.get('/', allow(anyone), (_req, res) => {
      res
        .status(503)
        .type('text/plain')
        .send('The dashboard is not built: run `npm run build`, then restart. The API is under /api/v1.\n');
    });
  } else if (deps.webRoot) {
    const webRoot = deps.webRoot;
    // The built scripts and styles hold no data: anyone may load them. The page itself is a route.
    app.use(express.static(webRoot, { index: false, maxAge: '1h', setHeaders: noCacheForHtml }));
    const shell: express.RequestHandler = (req, res, next) => {
      if (!req.accepts('html')) return next();
      res.set('Cache-Control', 'no-cache').sendFile(join(webRoot, 'index.html'));
    };
    // Dashboard pages are routed in the browser: any page address gets the app shell, for those who may see it.
    app.get(/^\/surveys(\/[a-z0-9-]+)?$/, allow({ kind: 'page', part: 'surveys' }), shell);
    app.get('/status', allow({ kind: 'page', part: 'status' }), shell);
    app.get(/^\/(?!api\/|metrics$|survey\/|sign-in|sign-out|auth\/)[^.]*$/, allow({ kind: 'page' }), shell);
  }

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  assertEveryRouteRuled(app);
  return app;
}

/** The dashboard's page as built, read when asked for (as the shell's file is), or undefined when not built. */
function dashboardShell(webRoot: string): () => Promise<string | undefined> {
  return () => readFile(join(webRoot, 'index.html'), 'utf8').catch(() => undefined);
}

function noCacheForHtml(res: express.Response, path: string): void {
  if (path.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
}

/** Whether a proxy is trusted: listed by address, or `loopback` for 127.0.0.0/8 and ::1. */
function trusted(list: readonly string[], address: string): boolean {
  const plain = address.replace(/^::ffff:/, '');
  if (list.includes(plain) || list.includes(address)) return true;
  return list.includes('loopback') && isIP(plain) !== 0 && (plain.startsWith('127.') || plain === '::1');
}
