import { dirname, join } from 'node:path';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import { putDemoUsers } from '../access/sign-in/demo-accounts.js';
import type { Estate } from '../config/schema.js';
import type { Subsystem } from '../lifecycle/subsystem.js';
import type { Stores } from '../store/stores.js';
import { type DemoAgents, startDemoAgents } from './demo-agents.js';
import { seedDemoSurveys } from './survey.js';

export interface DemoOptions {
  stores: Pick<Stores, 'agents' | 'survey' | 'access'>;
  /** The server's own address, as agents reach it. */
  server: string;
  /** host:port of the demo systems. */
  targets: string;
  /** The database file, beside which the agents keep their outboxes. */
  dbFile: string;
  clock: Clock;
  logger: Logger;
  version: string;
}

/**
 * The demo's own parts: its people (offered on the sign-in page), generated survey responses (once
 * per campaign) and an agent per site. Added
 * after the HTTP surface, so the agents' first contact succeeds, and so stopped before it, so their
 * last results reach the server while it still listens.
 */
export class DemoSubsystem implements Subsystem {
  readonly name = 'demo';
  readonly #options: DemoOptions;
  #estate: Estate | undefined;
  #agents: DemoAgents | undefined;

  constructor(options: DemoOptions) {
    this.#options = options;
  }

  /** The demo's agents keep the estate they started with; a reload changes what they are assigned. */
  apply(estate: Estate): void {
    this.#estate ??= estate;
  }

  async start(): Promise<void> {
    const { stores, clock, logger } = this.#options;
    const estate = this.#estate as Estate;
    const people = await putDemoUsers(stores.access, estate, clock.now());
    logger.info('demo accounts ready to sign in with', { accounts: people.map((p) => p.email) });
    for (const seeded of await seedDemoSurveys(stores.survey, estate, clock.now())) {
      if (seeded.added > 0) logger.info('demo survey responses generated', seeded);
    }
    this.#agents = await startDemoAgents({
      estate,
      store: stores.agents,
      server: this.#options.server,
      targets: this.#options.targets,
      dir: join(dirname(this.#options.dbFile), 'demo-agents'),
      clock,
      logger,
      version: this.#options.version,
    });
  }

  async stop(): Promise<void> {
    await this.#agents?.close();
  }
}
