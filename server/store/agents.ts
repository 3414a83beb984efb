/** Agents' tokens and what each site's agent last said of itself. */

/** An agent token as kept: its secret only as a hash. */
export interface TokenRow {
  id: string;
  site: string;
  secretHash: string;
  label: string | null;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** What an agent says of itself with each heartbeat. */
export interface AgentBeat {
  site: string;
  tokenId: string;
  at: number;
  version: string;
  /** The agent's clock minus the server's, in ms. */
  clockOffsetMs: number;
  outbox: { depth: number; dropped: number; oldestAt: number | null };
}
export interface AgentsStore {
  /** Keeps a new agent token (its secret already hashed). */
  addToken(token: Omit<TokenRow, 'revokedAt' | 'lastUsedAt'>): Promise<void>;
  token(id: string): Promise<TokenRow | undefined>;
  tokens(): Promise<TokenRow[]>;
  /** False when there is no such token or it was already revoked. */
  revokeToken(id: string, at: number): Promise<boolean>;
  /** What a site's agent last said of itself (kept only when newer than what is stored), and its token's use. */
  recordHeartbeat(beat: AgentBeat): Promise<void>;
  /** Every site's agent's last heartbeat. */
  heartbeats(): Promise<AgentBeat[]>;
}
