import { DatabaseError } from '../db/open.js';
import type { Logger } from '../logger.js';
import { demoEstateFile, packageVersion, webRoot } from '../paths.js';
import { ConfigInvalidError, startServer } from '../serve.js';
import { parseCommand, UsageError } from './usage.js';

export async function serveCommand(args: string[], logger: Logger): Promise<number> {
  const { values } = parseCommand('serve', args, {
    config: { type: 'string' },
    db: { type: 'string' },
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    demo: { type: 'boolean', default: false },
  });
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65_535) {
    throw new UsageError(`vantage serve: --port must be a number from 0 to 65535, not '${values.port}'`);
  }
  const demo = values.demo;
  const configFile = values.config ?? (demo ? demoEstateFile() : 'vantage.yaml');
  const dbFile = values.db ?? (demo ? 'data/demo.db' : 'data/vantage.db');

  let running: Awaited<ReturnType<typeof startServer>>;
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
    });
  } catch (error) {
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

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info('shutting down', { signal });
      running.close().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error('shutdown failed', { error });
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGHUP', () => {
      logger.info('reloading the estate file', { file: configFile });
      running.reload().catch((error: unknown) => logger.error('reload failed', { error }));
    });
  });
}
