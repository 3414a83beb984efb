import { describe, expect, it } from 'vitest';
import { Attempt } from '../../probes/attempt.js';
import { connectTcp } from '../../probes/connect.js';
import { emptyPhases } from '../../probes/timing.js';
import { useServers } from './servers.js';

const servers = useServers();

/** A run's bookkeeping for calling connectTcp directly, closed (sockets too) after `body`. */
async function withAttempt<T>(body: (attempt: Attempt) => Promise<T>): Promise<T> {
  const attempt = new Attempt({ timeout: '2s' }, AbortSignal.timeout(2000));
  try {
    return await body(attempt);
  } finally {
    attempt.close();
  }
}

describe('connectTcp', () => {
  // A name can resolve to several addresses (localhost to ::1 and 127.0.0.1); 127.0.0.2 stands in
  // for an address of the name where nothing listens.
  it('moves on to the next address of a host when one refuses, timing the whole connect', async () => {
    const server = await servers.tcp(() => {});
    await withAttempt(async (attempt) => {
      const phases = emptyPhases();
      const socket = await connectTcp(['127.0.0.2', '127.0.0.1'], server.port, attempt, phases);
      expect(socket.remoteAddress).toBe('127.0.0.1');
      expect(attempt.details.address).toBe(`127.0.0.1:${server.port}`);
      expect(phases.connectMs).toBeGreaterThan(0);
    });
  });

  it('reports the refusal of the last address when none accepts', async () => {
    const port = await servers.closedPort();
    await withAttempt(async (attempt) => {
      const connecting = connectTcp(['127.0.0.2', '127.0.0.1'], port, attempt, emptyPhases());
      await expect(connecting).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect(attempt.details.address).toBe(`127.0.0.1:${port}`);
    });
  });
});
