import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Agent } from '../../agent/agent.js';
import { ServerClient } from '../../agent/client.js';
import { Outbox, type OutboxOptions } from '../../agent/outbox.js';
import { parseDuration } from '../../common/duration.js';
import type { Logger } from '../../common/logger.js';
import { packageVersion } from '../paths.js';
import { parseToken } from '../site-agents/tokens.js';
import { parseCommand, UsageError } from './usage.js';

// Past these an outbox is no longer a buffer for an outage but a second database.
const MAX_OUTBOX_AGE_MS = 365 * 86_400_000;
const MAX_OUTBOX_MB = 100_000;

export async function agentCommand(args: string[], logger: Logger): Promise<number> {
  const { values } = parseCommand('agent', args, {
    server: { type: 'string' },
    token: { type: 'string' },
    outbox: { type: 'string', default: 'data/agent-outbox.db' },
    ca: { type: 'string' },
    'metrics-port': { type: 'string' },
    'metrics-host': { type: 'string', default: '127.0.0.1' },
    // Without these the outbox keeps its own bounds (7 days, 500 MB).
    'max-age': { type: 'string' },
    'max-mb': { type: 'string' },
    'max-backoff': { type: 'string' },
  });
  if (!values.server) throw new UsageError('vantage agent: give the server to report to: --server URL');
  // The token may come from the environment, which other users of the machine cannot list.
  const token = values.token ?? process.env.VANTAGE_AGENT_TOKEN;
  if (!token) throw new UsageError('vantage agent: give the token: --token TOKEN (or VANTAGE_AGENT_TOKEN)');
  if (!parseToken(token)) {
    throw new UsageError('vantage agent: that is not an agent token (they look like vat_<id>_<secret>)');
  }
  const bounds: OutboxOptions = {};
  if (values['max-age'] !== undefined) {
    const maxAgeMs = parseDuration(values['max-age']);
    if (maxAgeMs === undefined || maxAgeMs <= 0) {
      throw new UsageError(
        `vantage agent: --max-age is a duration such as 7d or 12h, not '${values['max-age']}'`,
      );
    }
    if (maxAgeMs > MAX_OUTBOX_AGE_MS) throw new UsageError('vantage agent: --max-age is at most 365d');
    bounds.maxAgeMs = maxAgeMs;
  }
  if (values['max-mb'] !== undefined) {
    const maxMb = Number(values['max-mb']);
    if (!(maxMb > 0))
      throw new UsageError(`vantage agent: --max-mb is a number of megabytes, not '${values['max-mb']}'`);
    if (maxMb > MAX_OUTBOX_MB) throw new UsageError('vantage agent: --max-mb is at most 100000 (100 GB)');
    bounds.maxBytes = maxMb * 1_000_000;
  }
  let maxBackoffMs: number | undefined;
  if (values['max-backoff'] !== undefined) {
    maxBackoffMs = parseDuration(values['max-backoff']);
    if (maxBackoffMs === undefined || maxBackoffMs <= 0) {
      throw new UsageError(
        `vantage agent: --max-backoff is a duration such as 30s or 2m, not '${values['max-backoff']}'`,
      );
    }
    // An agent that waits longer than this between attempts would look gone from the server.
    if (maxBackoffMs > 3_600_000) throw new UsageError('vantage agent: --max-backoff is at most 1h');
  }
  let metricsPort: number | undefined;
  if (values['metrics-port'] !== undefined) {
    metricsPort = Number(values['metrics-port']);
    if (!/^\d+$/.test(values['metrics-port']) || metricsPort > 65_535) {
      throw new UsageError(`vantage agent: --metrics-port must be a number from 0 to 65535`);
    }
  }

  let ca: Buffer | undefined;
  let client: ServerClient;
  let outbox: Outbox;
  try {
    if (values.ca) ca = readFileSync(values.ca);
    client = new ServerClient({ server: values.server, token, ...(ca ? { ca } : {}) });
    outbox = Outbox.open(values.outbox, { ...bounds, logger });
  } catch (error) {
    if (error instanceof Error) {
      const code = (error as NodeJS.ErrnoException).code;
      const message = code === 'ENOENT' && values.ca ? `cannot read the CA file ${values.ca}` : error.message;
      process.stderr.write(`vantage agent: ${message}\n`);
      return 1;
    }
    throw error;
  }

  const version = packageVersion();
  // prom-client is loaded only when /metrics is asked for: an agent without it stays smaller.
  const metrics = metricsPort === undefined ? undefined : new (await import('../metrics.js')).ProbeMetrics();
  const agent = new Agent({
    client,
    outbox,
    logger,
    version,
    ...(metrics ? { metrics } : {}),
    ...(maxBackoffMs !== undefined ? { maxBackoffMs } : {}),
    assignmentsFile: `${values.outbox}.assignments.json`,
  });
  if (metrics) (await import('../../agent/metrics.js')).registerAgentMetrics(metrics.registry, agent, outbox);

  let metricsServer: Server | undefined;
  if (metricsPort !== undefined && metrics) {
    const server = createServer((req, res) => {
      if (req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('only /metrics is served here\n');
        return;
      }
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(metricsPort, values['metrics-host'], resolve);
      });
    } catch (error) {
      process.stderr.write(
        `vantage agent: cannot serve /metrics on port ${metricsPort}: ${(error as Error).message}\n`,
      );
      outbox.close();
      return 1;
    }
    metricsServer = server;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : metricsPort;
    logger.info('agent /metrics listening', { url: `http://${values['metrics-host']}:${port}/metrics` });
  }

  agent.start();
  process.stdout.write(
    `Vantage agent ${version} reporting to ${client.server}; outbox ${values.outbox} (${outbox.depth()} waiting)\n`,
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info('agent stopping', { signal, waiting: outbox.depth() });
      const done = async () => {
        await agent.stop();
        metricsServer?.close();
        metricsServer?.closeAllConnections();
        client.close();
        outbox.close();
      };
      done().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error('agent stop failed', { error });
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}
