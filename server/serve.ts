import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { runProbe } from '../probes/run.js';
import { createApp } from './api/app.js';
import { type Clock, systemClock } from './clock.js';
import { type ConfigError, type Env, formatConfigError, loadEstateFile } from './config/load.js';
import type { Secret } from './config/resolve.js';
import type { Estate } from './config/schema.js';
import { lockDatabase } from './db/lock.js';
import { startDemoAgents } from './demo/agents.js';
import { seedDemoSurveys } from './demo/survey.js';
import { startDemoTargets } from './demo/targets.js';
import { guardRetirement, MassRetireError } from './estate/retire-guard.js';
import { type Logger, redactingLogger } from './logger.js';
import { ProbeMetrics } from './metrics.js';
import { Monitor } from './monitor.js';
import type { RunProbe } from './scheduler/scheduler.js';
import { resolvingRun } from './scheduler/secrets.js';
import { realTimers, type Timers } from './scheduler/timers.js';
import { countChanges, type SyncReport } from './store/estate.js';
import { SqliteStores } from './store/sqlite/stores.js';

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
}

export interface RunningServer {
  url: string;
  estate(): Estate;
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
  const clock = options.clock ?? systemClock;
  const cleanups: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  };

  try {
    // Nothing is written until this process holds both the database's lock and its port: a start
    // that fails on either leaves the database as the running server has it.
    const lock = lockDatabase(options.dbFile);
    cleanups.push(async () => lock.release());
    let handle: RequestListener = starting;
    const server = await listen((req, res) => handle(req, res), options.port, options.host);
    const stopListening = once(() => closeServer(server));
    cleanups.push(stopListening);
    const { port } = server.address() as AddressInfo;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;

    let env = options.env ?? process.env;
    let demoTargets: string | undefined;
    if (options.demo) {
      const targets = await startDemoTargets();
      cleanups.push(() => targets.close());
      demoTargets = targets.address;
      env = { ...env, VANTAGE_DEMO_TARGETS: targets.address };
      logger.info('demo targets listening', { address: targets.address });
    }

    const loaded = loadEstateFile(options.configFile, env);
    if (!loaded.ok) throw new ConfigInvalidError(loaded.errors);
    let estate = loaded.estate;
    remember(loaded.secrets);

    const store = SqliteStores.open(options.dbFile);
    cleanups.push(() => store.close());
    guardRetirement(await store.estate.activeCheckIds(), estate, options.configFile);
    logSync(logger, await store.estate.syncEstate(estate, clock.now()));

    const metrics = new ProbeMetrics();
    const monitor = new Monitor({
      store: store.results,
      timers: options.timers ?? realTimers,
      // The estate keeps secrets as ${NAME}: each check is resolved as it is probed.
      run: resolvingRun(options.run ?? runProbe, env),
      metrics,
      logger,
    });
    monitor.apply(estate);
    monitor.start();
    // Stopped before the store closes, so the last results are written.
    cleanups.push(() => monitor.stop());
    // No request reaches the store once it is closing.
    cleanups.push(stopListening);

    handle = createApp({
      store,
      clock,
      logger,
      metrics: metrics.registry,
      onAgentResults: (records) => monitor.observeReported(records),
      estate: () => estate,
      env,
      isReady: () => monitor.scheduler.started,
      ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    });

    if (demoTargets) {
      // Generated survey responses (marked as demo data), once per campaign.
      for (const seeded of await seedDemoSurveys(store.survey, estate, clock.now())) {
        if (seeded.added > 0) logger.info('demo survey responses generated', seeded);
      }
      // Started once the server answers requests, so their first contact succeeds; stopped first,
      // so their last results reach the server while it still listens.
      const local = ['0.0.0.0', '::'].includes(options.host) ? '127.0.0.1' : host;
      const agents = await startDemoAgents({
        estate,
        store: store.agents,
        server: `http://${local}:${port}`,
        targets: demoTargets,
        dir: join(dirname(options.dbFile), 'demo-agents'),
        logger,
        version: options.version ?? '0.0.0',
      });
      cleanups.push(() => agents.close());
    }

    return {
      url: `http://${host}:${port}/`,
      estate: () => estate,
      async reload() {
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
        try {
          guardRetirement(await store.estate.activeCheckIds(), next.estate, options.configFile);
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
        remember(next.secrets);
        const report = await store.estate.syncEstate(next.estate, clock.now());
        estate = next.estate;
        monitor.apply(estate);
        logSync(logger, report);
        return { ok: true, report };
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** What a request gets before the store is open and the estate in place. */
const starting: RequestListener = (req, res) => {
  const live = req.url === '/healthz';
  res.writeHead(live ? 200 : 503, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(
    JSON.stringify(
      live ? { status: 'ok' } : { error: { code: 'unavailable', message: 'Vantage is still starting' } },
    ),
  );
};

function once(work: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= work();
    return done;
  };
}

function listen(handle: RequestListener, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handle).listen(port, host);
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

function logSync(logger: Logger, report: SyncReport): void {
  const summary = Object.fromEntries(
    Object.entries(report).map(([kind, r]) => [
      kind,
      `+${r.added.length} ~${r.changed.length} ↺${r.restored.length} -${r.retired.length}`,
    ]),
  );
  logger.info(countChanges(report) === 0 ? 'estate unchanged' : 'estate synced', summary);
}
