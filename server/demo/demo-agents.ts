import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from '../../agent/agent.js';
import { ServerClient } from '../../agent/client.js';
import { Outbox } from '../../agent/outbox.js';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import { realTimers, type Timers } from '../../common/timers.js';
import { runProbe } from '../../probes/run.js';
import type { Estate } from '../config/schema.js';
import { createAgentToken } from '../site-agents/tokens.js';
import type { AgentsStore } from '../store/agents.js';
import { type Link, type LinkCondition, startLink } from './link.js';
import { demoNetwork } from './network.js';

const DEMO_LABEL = 'demo agent';

export interface DemoAgents {
  sites: string[];
  close(): Promise<void>;
}

/**
 * An agent for each demo site that has checks, inside the server's process but otherwise as real as
 * one at a site: its own token, its own outbox, and the server's HTTP API. Each reaches the demo
 * systems through its own link (see network.ts), so one site's network can degrade alone.
 */
export async function startDemoAgents(options: {
  estate: Estate;
  store: AgentsStore;
  /** The server's own address, as agents reach it. */
  server: string;
  /** host:port of the demo systems. */
  targets: string;
  /** Where the agents' outboxes are kept. */
  dir: string;
  logger: Logger;
  version: string;
  /** When tokens are made and revoked; the system clock unless given. */
  clock?: Clock;
  /** Each site's link; the demo's local problems and first fault (network.ts) unless a test gives another. */
  condition?: (site: string, now: number) => LinkCondition;
}): Promise<DemoAgents> {
  const { estate, store, logger } = options;
  const now = () => options.clock?.now() ?? Date.now();
  // The server's own clock, so the demo's agents and the server tell the same time.
  const timers: Timers = { ...realTimers, now };
  const [host = '127.0.0.1', port = '0'] = options.targets.split(':');
  const condition = options.condition ?? demoNetwork(now());
  const sites = estate.sites.filter((site) => estate.checks.some((check) => check.from?.includes(site.id)));
  // Tokens of earlier demo runs are no longer held by anyone.
  for (const token of await store.tokens()) {
    if (token.label === DEMO_LABEL && token.revokedAt === null) await store.revokeToken(token.id, now());
  }
  mkdirSync(options.dir, { recursive: true });

  const running: { agent: Agent; outbox: Outbox; client: ServerClient; link: Link }[] = [];
  const close = async () => {
    for (const { agent } of running) await agent.stop();
    for (const { outbox, client, link } of running) {
      client.close();
      outbox.close();
      await link.close();
    }
    running.length = 0;
  };
  try {
    for (const site of sites) {
      const link = await startLink({
        upstream: { host, port: Number(port) },
        condition: (now) => condition(site.id, now),
      });
      const { token } = await createAgentToken(store, { site: site.id, label: DEMO_LABEL, at: now() });
      const siteLogger = quietLogger(logger, site.id);
      const outbox = Outbox.open(join(options.dir, `${site.id}.db`), { logger: siteLogger, now });
      const client = new ServerClient({ server: options.server, token });
      const agent = new Agent({
        client,
        outbox,
        logger: siteLogger,
        version: options.version,
        timers,
        // The site's traffic to the demo systems goes through its link.
        run: (check, signal) =>
          runProbe({ ...check, target: check.target.replace(options.targets, link.address) }, signal),
      });
      running.push({ agent, outbox, client, link });
      agent.start();
    }
  } catch (error) {
    await close();
    throw error;
  }
  logger.info('demo agents running', { sites: sites.length });
  return { sites: sites.map((site) => site.id), close };
}

/** The agents' warnings and errors, marked with their site; their routine news is left out. */
function quietLogger(logger: Logger, site: string): Logger {
  return {
    info() {},
    warn: (message, fields) => logger.warn(message, { agent: site, ...fields }),
    error: (message, fields) => logger.error(message, { agent: site, ...fields }),
  };
}
