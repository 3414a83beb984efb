import { silentLogger } from '../../common/logger.js';
import { type RunningServer, type ServeOptions, startServer } from '../../server/serve.js';

/** `vantage serve` in this process for an estate file and database: on 127.0.0.1, port 0, logging nothing. */
export function serveLoopback(
  configFile: string,
  dbFile: string,
  options: Partial<ServeOptions> = {},
): Promise<RunningServer> {
  return startServer({ configFile, dbFile, port: 0, host: '127.0.0.1', logger: silentLogger, ...options });
}
