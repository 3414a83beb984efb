import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../agent/agent.js';
import { ServerClient } from '../../agent/client.js';
import { Outbox } from '../../agent/outbox.js';
import type { Fields, Logger } from '../../common/logger.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const servers: Server[] = [];

afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A server that refuses everything with `status`, counting what it was asked per path. */
async function refusingServer(status: number, message: string) {
  const asked = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    asked.set(path, (asked.get(path) ?? 0) + 1);
    req.resume();
    res
      .writeHead(status, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ error: { code: 'refused', message } }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

function recordingLogger(): Logger & { lines: { level: string; message: string; fields?: Fields }[] } {
  const lines: { level: string; message: string; fields?: Fields }[] = [];
  return {
    lines,
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
  };
}

/** Runs an agent with a few results waiting against a server that refuses it, for `ms`. */
async function runRefused(status: number, message: string, ms: number, maxBackoffMs?: number) {
  const server = await refusingServer(status, message);
  const logger = recordingLogger();
  const outbox = Outbox.open(join(tmp(), `outbox-${status}-${maxBackoffMs}.db`), { logger });
  for (let i = 0; i < 3; i++) outbox.add({ id: `r${i}`, at: Date.now(), payload: { i } });
  const client = new ServerClient({ server: server.url, token: 'vat_00000000_x' });
  const agent = new Agent({
    client,
    outbox,
    logger,
    version: 'test',
    ...(maxBackoffMs === undefined ? {} : { maxBackoffMs }),
  });
  agent.start();
  await new Promise((resolve) => setTimeout(resolve, ms));
  await agent.stop();
  const depth = outbox.depth();
  client.close();
  outbox.close();
  return { pushes: server.asked.get('/api/v1/agent/results') ?? 0, logger, depth };
}

describe('an agent the server refuses', () => {
  it('backs off and says it was refused, not that the server is out of reach', {
    timeout: 10_000,
  }, async () => {
    const [revoked, invalid] = await Promise.all([
      runRefused(401, "token '00000000' was revoked", 5_000),
      runRefused(400, 'the batch is not what the server expects', 5_000),
    ]);
    // At a steady second apart there would be five; a growing backoff (2 s, 4 s, 8 s…) allows three at most.
    for (const { pushes, logger, depth } of [revoked, invalid]) {
      expect(pushes).toBeGreaterThanOrEqual(1);
      expect(pushes).toBeLessThanOrEqual(3);
      expect(depth).toBe(3); // nothing was taken, so nothing left the outbox
      expect(logger.lines.map((line) => line.message).join('\n')).not.toContain('cannot reach');
    }
    expect(revoked.logger.lines.filter((line) => line.level === 'error')).toEqual([
      {
        level: 'error',
        message: 'the server refuses this agent; results wait in the outbox',
        fields: { status: 401, reason: "token '00000000' was revoked" },
      },
    ]);
    expect(invalid.logger.lines.filter((line) => line.level === 'warn')).toEqual([
      {
        level: 'warn',
        message: 'the server refused a request; probing on, results wait in the outbox',
        fields: { status: 400, reason: 'the batch is not what the server expects' },
      },
    ]);
  });

  it('waits no longer than its longest wait between attempts, when one is given', {
    timeout: 10_000,
  }, async () => {
    const { pushes, depth } = await runRefused(503, 'not now', 3_000, 500);
    // Waits of 0.375-0.625 s, where the default would have grown to 2 s and 4 s (two pushes at most).
    expect(pushes).toBeGreaterThanOrEqual(4);
    expect(pushes).toBeLessThanOrEqual(9);
    expect(depth).toBe(3);
  });
});

describe('an agent given its own clock', () => {
  it('dates its heartbeats by it, and so finds how far it is from the server', {
    timeout: 15_000,
  }, async () => {
    const sent: number[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        if (req.url === '/api/v1/agent/heartbeat') {
          sent.push((JSON.parse(body) as { sentAt: number }).sentAt);
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ serverTime: Date.now() }));
        } else res.writeHead(304).end();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const logger = recordingLogger();
    const outbox = Outbox.open(join(tmp(), 'outbox-clock.db'), { logger });
    const client = new ServerClient({
      server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: 'vat_00000000_x',
    });
    const ahead = 60_000;
    const agent = new Agent({
      client,
      outbox,
      logger,
      version: 'test',
      timers: {
        now: () => Date.now() + ahead,
        setTimeout,
        clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
      },
    });
    agent.start();
    const until = Date.now() + 10_000;
    while (agent.status().clockOffsetMs === undefined && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await agent.stop();
    client.close();
    outbox.close();
    expect(sent[0]).toBeGreaterThan(Date.now() + ahead - 15_000);
    expect(agent.status().clockOffsetMs).toBeGreaterThan(ahead - 5_000);
    expect(agent.status().clockOffsetMs).toBeLessThan(ahead + 5_000);
    expect(logger.lines.some((line) => line.message.startsWith('this clock differs from the server'))).toBe(
      true,
    );
  });
});
