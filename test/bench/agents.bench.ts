import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchBacklog } from './agents/backlog.js';
import { benchIngestion } from './agents/ingestion.js';
import { benchAgentMemory } from './agents/memory.js';
import { startTarget } from './agents/shared.js';

/**
 * Agents at scale, against the real `vantage serve` and `vantage agent` processes on loopback: the
 * server's ingestion through the batch endpoint with 200 agents pushing at once, one agent's memory
 * with 200 checks, and how long a one-hour backlog takes to reach the server once it is back.
 */
export async function benchAgents(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vantage-agents-'));
  const children = new Set<ChildProcess>();
  const kill = () => {
    for (const child of children) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  const target = await startTarget();
  try {
    // VANTAGE_BENCH_AGENT_PARTS=ingestion,memory,backlog runs some of them (all by default).
    const parts = (process.env.VANTAGE_BENCH_AGENT_PARTS ?? 'ingestion,memory,backlog').split(',');
    if (parts.includes('ingestion')) await benchIngestion(dir, children);
    if (parts.includes('memory')) await benchAgentMemory(dir, children, target.port);
    if (parts.includes('backlog')) await benchBacklog(dir, children, target.port);
  } finally {
    kill();
    process.off('exit', kill);
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
