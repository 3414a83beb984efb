import type { Db } from '../../db/open.js';
import { agentsRepo } from '../../db/repos/agents.js';
import type { AgentBeat, AgentsStore, TokenRow } from '../agents.js';
import type { WriteHealth } from './writes.js';

export class SqliteAgentsStore implements AgentsStore {
  readonly #db: Db;
  readonly #writes: WriteHealth;
  readonly #agents;

  constructor(db: Db, writes: WriteHealth) {
    this.#db = db;
    this.#writes = writes;
    this.#agents = agentsRepo(db);
  }

  async addToken(token: Omit<TokenRow, 'revokedAt' | 'lastUsedAt'>): Promise<void> {
    this.#writes.run(() => this.#agents.addToken(token));
  }

  async token(id: string): Promise<TokenRow | undefined> {
    return this.#agents.token(id);
  }

  async tokens(): Promise<TokenRow[]> {
    return this.#agents.tokens();
  }

  async revokeToken(id: string, at: number): Promise<boolean> {
    return this.#writes.run(() => this.#agents.revoke(id, at));
  }

  async recordHeartbeat(beat: AgentBeat): Promise<void> {
    this.#writes.run(() =>
      this.#db.transaction(() => {
        this.#agents.beat(beat);
        this.#agents.used(beat.tokenId, beat.at);
      })(),
    );
  }

  async heartbeats(): Promise<AgentBeat[]> {
    return this.#agents.agents();
  }
}
