import type { Logger } from '../../common/logger.js';
import { DatabaseError } from '../db/open.js';
import { packageVersion, webRoot } from '../paths.js';
import { ConfigInvalidError, type RunningServer, startServer } from '../serve.js';
import { WHERE_OPTIONS, whereOf } from './store.js';
import { parseCommand, UsageError } from './usage.js';

export async function serveCommand(args: string[], logger: Logger): Promise<number> {
  const { values } = parseCommand('serve', args, {
    ...WHERE_OPTIONS,
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  });
  // --port wins over PORT, the variable hosting platforms and `npm start` users set.
  const [portText, portSource] =
    values.port !== undefined
      ? [values.port, '--port']
      : process.env.PORT
        ? [process.env.PORT, 'PORT']
        : ['8080', '--port'];
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    throw new UsageError(`vantage serve: ${portSource} must be a number from 0 to 65535, not '${portText}'`);
  }
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new UsageError(
      `vantage serve: --tls-cert and --tls-key go together; ${certFile === undefined ? '--tls-key' : '--tls-cert'} was given alone`,
    );
  }
  const tls = certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : undefined;
  const demo = values.demo;
  if (demo && tls) {
    throw new UsageError(
      'vantage serve: --demo serves plain HTTP only (its agents reach it at 127.0.0.1); leave out --tls-cert and --tls-key',
    );
  }
  const { configFile, dbFile } = whereOf(values);

  // The signals are taken before anything starts: one arriving between the address being printed
  // and a listener being added would otherwise end the process with the default action, uncleanly.
  const signals = new SignalsWhileStarting(logger, configFile);
  let running: RunningServer;
  try {
    running = await startServer({
      configFile,
      dbFile,
      port,
      host: values.host,
      demo,
      webRoot: webRoot(),
      logger,
      version: packageVersion(),
      ...(tls ? { tls } : {}),
    });
  } catch (error) {
    signals.detach();
    if (error instanceof ConfigInvalidError) {
      process.stderr.write(
        `${error.message}\nvantage serve: the estate file ${configFile} is invalid (${error.errors.length} ${error.errors.length === 1 ? 'error' : 'errors'})\n`,
      );
      return 1;
    }
    if (error instanceof DatabaseError || error instanceof Error) {
      process.stderr.write(`vantage serve: ${error.message}\n`);
      return 1;
    }
    throw error;
  }

  process.stdout.write(`Vantage is running at ${running.url}${demo ? ' (demo estate)' : ''}\n`);
  logger.info('serving', { config: configFile, db: dbFile });
  return signals.serve(running);
}

/** SIGTERM and SIGINT stop the server, SIGHUP reloads its estate; those during the start wait for it. */
class SignalsWhileStarting {
  #running: RunningServer | undefined;
  #stopSignal: string | undefined;
  #reloadPending = false;
  #stopping = false;
  #resolve: (code: number) => void = () => {};
  readonly #handlers: [NodeJS.Signals, () => void][];

  constructor(
    private readonly logger: Logger,
    private readonly configFile: string,
  ) {
    this.#handlers = [
      ['SIGTERM', () => this.#stop('SIGTERM')],
      ['SIGINT', () => this.#stop('SIGINT')],
      ['SIGHUP', () => this.#reload()],
    ];
    for (const [signal, handler] of this.#handlers) process.on(signal, handler);
  }

  detach(): void {
    for (const [signal, handler] of this.#handlers) process.off(signal, handler);
  }

  /** Resolves with the exit code once a signal has stopped the server. */
  serve(running: RunningServer): Promise<number> {
    this.#running = running;
    const done = new Promise<number>((resolve) => {
      this.#resolve = resolve;
    });
    if (this.#stopSignal) this.#stop(this.#stopSignal);
    else if (this.#reloadPending) this.#reload();
    return done;
  }

  #stop(signal: string): void {
    this.#stopSignal = signal;
    const running = this.#running;
    if (!running || this.#stopping) return;
    this.#stopping = true;
    this.logger.info('shutting down', { signal });
    running.close().then(
      () => this.#resolve(0),
      (error: unknown) => {
        this.logger.error('shutdown failed', { error });
        this.#resolve(1);
      },
    );
  }

  #reload(): void {
    const running = this.#running;
    this.#reloadPending = !running;
    if (!running) return;
    this.logger.info('reloading the estate file', { file: this.configFile });
    running.reload().catch((error: unknown) => this.logger.error('reload failed', { error }));
  }
}
