import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../common/clock.js';
import type { Secret } from '../common/env-references.js';
import { type Logger, redactingLogger } from '../common/logger.js';
import { realTimers, type Timers } from '../common/timers.js';
import { runProbe } from '../probes/run.js';
import type { RunProbe } from '../runs/scheduler.js';
import { resolvingRun } from '../runs/secrets.js';
import { OidcRolesSubsystem } from './access/oidc/reassess.js';
import { AccessPruning } from './access/pruning.js';
import { loadAckKey } from './alerts/ack-key.js';
import { alertSettings } from './alerts/config.js';
import { signingAckLinks } from './alerts/delivery/ack-at-send.js';
import { estateSender } from './alerts/delivery/estate-sender.js';
import { AlertEngine } from './alerts/engine.js';
import type { Notifier } from './alerts/message.js';
import { NotificationDispatcher, type Send } from './alerts/outbox/dispatcher.js';
import { OutboxMetrics } from './alerts/outbox/metrics.js';
import { NotificationOutbox } from './alerts/outbox/outbox.js';
import { OutboxPruning } from './alerts/outbox/pruning.js';
import { AlertsSubsystem } from './alerts/subsystem.js';
import { securityHeaders } from './api/security-headers.js';
import { HttpSubsystem } from './api/subsystem.js';
import { type ConfigError, type Env, formatConfigError, loadEstateFile } from './config/load.js';
import type { Estate } from './config/schema.js';
import { lockDatabase } from './db/lock.js';
import { DemoHistorySubsystem } from './demo/history/subsystem.js';
import type { DemoInbox } from './demo/inbox/inbox.js';
import { startDemoInbox } from './demo/inbox/start.js';
import { makeDemoReports } from './demo/reports.js';
import { DemoSubsystem } from './demo/subsystem.js';
import { startDemoTargets } from './demo/targets.js';
import { MassRetireError } from './estate/retire-guard.js';
import { Subsystems } from './lifecycle/subsystem.js';
import { ProbeMetrics, StoredRunsMetrics } from './metrics.js';
import { Monitor } from './monitor.js';
import { complianceThread } from './principles/compliance-thread.js';
import { ReportSchedule } from './reports/schedule.js';
import { publishingResults, StoredResults } from './results/stream.js';
import type { SyncReport } from './store/estate.js';
import { SqliteStores } from './store/sqlite/stores.js';
import { withResults } from './store/stores.js';
import { StoreSubsystem } from './store/subsystem.js';
import { TimelineBackfill } from './timeline/backfill.js';
import { loadTlsFiles, type TlsCredentials, type TlsFiles, TlsFilesError } from './tls-files.js';

export interface ServeOptions {
  configFile: string;
  dbFile: string;
  port: number;
  host: string;
  demo?: boolean;
  webRoot?: string;
  logger: Logger;
  clock?: Clock;
  env?: Env;
  /** The probes; tests may pass others. */
  run?: RunProbe;
  timers?: Timers;
  /** Vantage's version, as agents report it. */
  version?: string;
  /** Serve HTTPS with this certificate and key; omitted, plain HTTP (as behind a reverse proxy). */
  tls?: TlsFiles;
  /** Delivers the notification outbox's messages; omitted, to the channels of the estate in force at each send. */
  sendNotification?: Send;
}

export interface RunningServer {
  url: string;
  estate(): Estate;
  /** Where alert messages are handed: stored before it answers, then sent by the server in order per channel. */
  notifier: Notifier;
  /**
   * Re-reads the estate file. An invalid file, or one that would retire most of the checks without
   * saying so, is reported and the running estate kept.
   */
  reload(): Promise<
    { ok: true; report: SyncReport } | { ok: false; errors: ConfigError[] } | { ok: false; refused: string }
  >;
  close(): Promise<void>;
}

/** The estate file is invalid: every error, already located. */
export class ConfigInvalidError extends Error {
  constructor(readonly errors: ConfigError[]) {
    super(errors.map(formatConfigError).join('\n'));
  }
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  // Every value that came from ${NAME} since the start: none is ever logged, whoever logs it.
  let secrets: Secret[] = [];
  const remember = (more: Secret[]) => {
    const known = new Set(secrets.map((secret) => `${secret.name}\u0000${secret.value}`));
    const fresh = more.filter((secret) => !known.has(`${secret.name}\u0000${secret.value}`));
    // A new array, so the logger knows to prepare again.
    if (fresh.length > 0) secrets = [...secrets, ...fresh];
  };
  const logger = redactingLogger(options.logger, () => secrets);
  // One clock for every part: the scheduler's timers tell the same time as the API and the stores.
  const clock = options.clock ?? options.timers ?? systemClock;
  const timers = options.timers ?? { ...realTimers, now: () => clock.now() };
  // What the process holds before any subsystem starts (the lock, the port, the demo's systems),
  // released after the last subsystem has stopped.
  const held: (() => Promise<void>)[] = [];
  const subsystems = new Subsystems();
  const closeAll = async () => {
    try {
      await subsystems.stop();
    } finally {
      for (const release of held.reverse()) await release();
      held.length = 0;
    }
  };

  try {
    // Checked before anything else: a wrong certificate or key stops the start with nothing written.
    const tls = options.tls && loadTlsFiles(options.tls);
    if (tls && options.demo)
      throw new Error(
        'the demo serves plain HTTP only: its agents reach it at 127.0.0.1, which no certificate names',
      );
    // Nothing is written until this process holds both the database's lock and its port: a start
    // that fails on either leaves the database as the running server has it.
    const lock = lockDatabase(options.dbFile);
    held.push(async () => lock.release());
    let handle: RequestListener = starting;
    const server = await listen((req, res) => handle(req, res), options.port, options.host, tls);
    const stopListening = once(() => closeServer(server));
    held.push(stopListening);
    const { port } = server.address() as AddressInfo;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;

    let env = options.env ?? process.env;
    let demoTargets: string | undefined;
    // The agents (and the demo's webhook channel) reach the server at an address it listens on.
    const local = ['0.0.0.0', '::'].includes(options.host) ? '127.0.0.1' : host;
    if (options.demo) {
      const targets = await startDemoTargets();
      held.push(() => targets.close());
      demoTargets = targets.address;
      env = { ...env, VANTAGE_DEMO_TARGETS: targets.address, VANTAGE_DEMO_INBOX: `${local}:${port}` };
      logger.info('demo targets listening', { address: targets.address });
    }

    const loaded = loadEstateFile(options.configFile, env);
    if (!loaded.ok) throw new ConfigInvalidError(loaded.errors);
    let estate = loaded.estate;
    remember(loaded.secrets);
    let demoInbox: DemoInbox | undefined;
    if (options.demo) {
      const started = await startDemoInbox(estate, clock, logger);
      held.push(started.close);
      demoInbox = started.inbox;
    }

    // The composition root: each subsystem is built from those before it, given the estate and
    // started in this order, given each reloaded estate in this order, and stopped in reverse.
    const stream = new StoredResults(logger);
    const storage = new StoreSubsystem(SqliteStores.open(options.dbFile), {
      configFile: options.configFile,
      clock,
      logger,
    });
    await subsystems.add(storage, estate);
    // Every run stored, the server's and the agents', is published once committed.
    const stores = withResults(storage.stores, publishingResults(storage.stores.results, stream));
    // Latency principles' work is shared with a thread of its own, on a read-only connection of its own.
    const thread = complianceThread(options.dbFile, (message) =>
      logger.warn('the compliance thread failed: figures are worked out in the main thread', { message }),
    );
    if (thread) held.push(() => thread.close());
    // Identity-provider users' roles follow the estate's mapping, decided again at every reload.
    await subsystems.add(new OidcRolesSubsystem({ store: stores.access, clock, logger }), estate);
    // Ended sessions and audit entries past their keeping, removed every hour.
    await subsystems.add(new AccessPruning({ store: stores.access, timers, logger }), estate);
    // Everything but the survey form and health needs someone signed in: say how, when nobody can be.
    if (!options.demo && !estate.access.oidc && (await stores.access.users()).length === 0) {
      logger.warn('nobody can sign in yet: make the first administrator with vantage user add', {
        command: `vantage user add EMAIL --role admin --config ${options.configFile} --db ${options.dbFile}`,
      });
    }
    // The demo's past, before anything probes: live runs then carry on from its last simulated ones.
    // The sources every report is made from, on a schedule, by the demo, or asked for.
    const reportSources = {
      results: stores.results,
      maintenance: stores.maintenance,
      survey: stores.survey,
      ...(thread ? { thread } : {}),
    };
    if (options.demo)
      await subsystems.add(
        new DemoHistorySubsystem({
          store: stores.demoHistory,
          clock,
          logger,
          // Last month's and last year's reports, from the history just written.
          afterWritten: async (first) => {
            const made = await makeDemoReports(first, reportSources, stores.reports, clock.now());
            if (made.length > 0) logger.info('demo reports made (simulated, marked as such)', { ids: made });
          },
        }),
        estate,
      );
    const metrics = new ProbeMetrics();
    await subsystems.add(new StoredRunsMetrics({ metrics, stream }), estate);
    // Notifications are stored before they are sent (alerting hands them to a NotificationOutbox on
    // stores.notifications) and sent from here, in order per channel, with retries.
    let dispatcher: NotificationDispatcher | undefined;
    const outboxMetrics = new OutboxMetrics({
      registry: metrics.registry,
      store: stores.notifications,
      now: () => clock.now(),
    });
    const notifier = new NotificationOutbox({
      store: stores.notifications,
      clock,
      onQueued: () => dispatcher?.wake(),
      onSuperseded: (channel, count) => outboxMetrics.count(channel, 'superseded', count),
    });
    // Before the scheduler, so the alert rules see every run it stores; they hand messages to the outbox.
    const ackKey = loadAckKey(options.dbFile);
    const engine = new AlertEngine({
      store: stores.incidents,
      maintenance: stores.maintenance,
      agents: stores.agents,
      results: stores.results,
      notifier,
      clock,
      logger,
      baseUrl: () => `${tls ? 'https' : 'http'}://${host}:${port}/`,
      ackKey,
    });
    dispatcher = await subsystems.add(
      new NotificationDispatcher({
        store: stores.notifications,
        // Acknowledgement links are signed as each message is sent: 72 hours from its delivery.
        send: signingAckLinks(
          options.sendNotification ??
            estateSender({
              estate: () => estate,
              env: () => env,
              clock,
              version: options.version ?? '0.0.0',
            }),
          ackKey,
          clock,
        ),
        timers,
        logger,
        metrics: outboxMetrics,
        // The estate's alerts.delivery.giveUpAfter, as it is when the server starts.
        giveUpAfterMs: alertSettings(estate.alerts).giveUpAfterMs,
        // Where each message ended up goes in its incident's timeline.
        onSettled: (settled) => void engine.delivered(settled),
      }),
      estate,
    );
    await subsystems.add(new OutboxPruning({ store: stores.notifications, timers, logger }), estate);
    const alerts = await subsystems.add(new AlertsSubsystem({ engine, stream, timers }), estate);
    const monitor = await subsystems.add(
      new Monitor({
        store: stores.results,
        timers,
        // The estate keeps secrets as ${NAME}: each check is resolved as it is probed.
        run: resolvingRun(options.run ?? runProbe, env),
        onLateness: (ms) => metrics.observeLateness(ms),
        logger,
      }),
      estate,
    );
    // Results stored before the state timeline existed get their stretches in the background.
    await subsystems.add(new TimelineBackfill({ store: stores.results, timers, logger }), estate);
    // The month before's report on the first of each month (and the quarter's, if settings ask).
    await subsystems.add(
      new ReportSchedule({ store: stores.reports, sources: reportSources, timers, logger }),
      estate,
    );
    await subsystems.add(
      new HttpSubsystem({
        deps: {
          store: stores,
          clock,
          logger,
          metrics: metrics.registry,
          env,
          isReady: () => monitor.scheduler.started,
          demo: options.demo ?? false,
          notifier,
          ...(demoInbox ? { demoInbox } : {}),
          ...(options.webRoot ? { webRoot: options.webRoot } : {}),
          alerts: { ackKey, acknowledged: (incident) => alerts.engine.acknowledged(incident) },
          ...(thread ? { complianceThread: thread } : {}),
        },
        serve: (app) => {
          handle = app;
        },
        stopListening,
      }),
      estate,
    );
    if (demoTargets) {
      await subsystems.add(
        new DemoSubsystem({
          stores,
          server: `http://${local}:${port}`,
          targets: demoTargets,
          dbFile: options.dbFile,
          clock,
          logger,
          version: options.version ?? '0.0.0',
        }),
        estate,
      );
    }

    if (tls) logger.info('serving HTTPS', { certificate: tls.subject, validTo: tls.validTo.toISOString() });
    return {
      url: `${tls ? 'https' : 'http'}://${host}:${port}/`,
      estate: () => estate,
      notifier,
      async reload() {
        if (options.tls) renewCertificate(server as HttpsServer, options.tls, logger);
        const next = loadEstateFile(options.configFile, env);
        if (!next.ok) {
          // The located errors first and the verdict last, so whoever sees the verdict has seen them all.
          for (const error of next.errors) logger.warn(formatConfigError(error));
          logger.warn('estate file invalid; keeping the running estate', {
            file: options.configFile,
            errors: next.errors.length,
          });
          return next;
        }
        remember(next.secrets);
        try {
          // The store comes first: it refuses a mass retirement before any other subsystem sees it.
          await subsystems.apply(next.estate);
        } catch (error) {
          if (!(error instanceof MassRetireError)) throw error;
          logger.warn(error.message, { file: options.configFile });
          logger.warn('estate file refused; keeping the running estate', {
            file: options.configFile,
            retiring: error.retiring.length,
            active: error.active,
          });
          return { ok: false, refused: error.message };
        }
        estate = next.estate;
        return { ok: true, report: storage.lastSync as SyncReport };
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

const startingHeaders = securityHeaders();

/** What a request gets before the store is open and the estate in place (with the same headers as later). */
const starting: RequestListener = (req, res) => {
  startingHeaders(req, res, () => {});
  const live = req.url === '/healthz';
  res.writeHead(live ? 200 : 503, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(
    JSON.stringify(
      live ? { status: 'ok' } : { error: { code: 'unavailable', message: 'Vantage is still starting' } },
    ),
  );
};

/**
 * Reads the certificate and key again (a renewed certificate is put in place under the same names), for
 * the connections made from now on; files that cannot be served are reported and the current kept.
 */
function renewCertificate(server: HttpsServer, files: TlsFiles, logger: Logger): void {
  try {
    const renewed = loadTlsFiles(files);
    server.setSecureContext({ cert: renewed.cert, key: renewed.key });
    logger.info('certificate read again', {
      certificate: renewed.subject,
      validTo: renewed.validTo.toISOString(),
    });
  } catch (error) {
    if (!(error instanceof TlsFilesError)) throw error;
    logger.warn(`${error.message}; keeping the certificate in use`);
  }
}

function once(work: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= work();
    return done;
  };
}

function listen(
  handle: RequestListener,
  port: number,
  host: string,
  tls: TlsCredentials | undefined,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = (
      tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handle) : createServer(handle)
    ).listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(new Error(`port ${port} on ${host} is already in use; pass --port with another`));
      else if (error.code === 'EADDRNOTAVAIL')
        reject(new Error(`cannot listen on ${host}: no such address on this machine`));
      else reject(error);
    });
  });
}

/** Stops taking connections, lets requests in flight finish, then resolves. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // A client holding a connection open past the grace period is cut off rather than waited for.
    setTimeout(() => server.closeAllConnections(), 5_000).unref();
  });
}
