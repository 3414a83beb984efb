import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, request } from 'node:http';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type LinkCondition, startLink } from '../../server/demo/link.js';
import {
  BASELINE_LATENCY_MS,
  baselineLatencyMs,
  CONGESTION,
  LINK_DOWN,
  PACKET_LOSS,
  siteCondition,
} from '../../server/demo/network.js';

const healthy: LinkCondition = { latencyMs: 0, lossRate: 0, down: false };

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Sends `payload`, half-closes, and collects everything that comes back until the far side ends. */
function roundTrip(port: number, payload: Buffer): Promise<{ data: Buffer; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.end(payload));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('end', () => resolve({ data: Buffer.concat(chunks), ms: performance.now() - started }));
    socket.once('error', reject);
  });
}

/** Time from sending an HTTP request through `port` to the response's first byte. */
function timeToFirstByte(port: number): Promise<{ ms: number; body: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request({ host: '127.0.0.1', port, path: '/epr/login', agent: false }, (res) => {
      const ms = performance.now() - started;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        body += text;
      });
      res.once('end', () => resolve({ ms, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

/** How a fresh connection through `port` ends: 'reset', 'closed', or 'open' if neither within `ms`. */
function fate(port: number, ms: number): Promise<'reset' | 'closed' | 'open'> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('open');
    }, ms);
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === 'ECONNRESET' ? 'reset' : 'closed');
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
  });
}

function counts(): Map<string, number> {
  const tally = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) tally.set(kind, (tally.get(kind) ?? 0) + 1);
  return tally;
}

describe('a site network link', () => {
  const echo = createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  const http = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('Sign in\n');
  });
  let echoPort = 0;
  let httpPort = 0;

  beforeAll(async () => {
    echoPort = await listen(echo);
    httpPort = await listen(http);
  });
  afterAll(async () => {
    http.closeAllConnections();
    await Promise.all([
      new Promise((resolve) => echo.close(resolve)),
      new Promise((resolve) => http.close(resolve)),
    ]);
  });

  const open = (port: number, condition: (now: number) => LinkCondition, now?: () => number) =>
    startLink({ upstream: { host: '127.0.0.1', port }, condition, ...(now ? { now } : {}) });

  it('passes data unchanged both ways when healthy, 1 MiB included', async () => {
    const link = await open(echoPort, () => healthy);
    try {
      expect(link.address).toBe(`127.0.0.1:${link.port}`);
      expect((await roundTrip(link.port, Buffer.from('hello\n'))).data.toString()).toBe('hello\n');
      const big = randomBytes(1024 * 1024);
      const back = await roundTrip(link.port, big);
      expect(back.data.length).toBe(big.length);
      expect(back.data.equals(big)).toBe(true);
    } finally {
      await link.close();
    }
    const web = await open(httpPort, () => healthy);
    try {
      expect((await timeToFirstByte(web.port)).body).toBe('Sign in\n');
    } finally {
      await web.close();
    }
  });

  it('keeps 1 MiB intact and in order through a delayed link', async () => {
    const link = await open(echoPort, () => ({ latencyMs: 40, lossRate: 0, down: false }));
    try {
      const big = randomBytes(1024 * 1024);
      const back = await roundTrip(link.port, big);
      expect(back.data.equals(big)).toBe(true);
    } finally {
      await link.close();
    }
  });

  it('adds its latency to the time to first byte', async () => {
    const link = await open(httpPort, () => ({ latencyMs: 100, lossRate: 0, down: false }));
    try {
      const { ms, body } = await timeToFirstByte(link.port);
      expect(body).toBe('Sign in\n');
      expect(ms).toBeGreaterThanOrEqual(100);
      expect(ms).toBeLessThan(400);
    } finally {
      await link.close();
    }
  });

  it('makes a connection that loses its SYN wait for the retransmission', async () => {
    const link = await open(echoPort, () => ({ latencyMs: 0, lossRate: 1, down: false }));
    try {
      const { data, ms } = await roundTrip(link.port, Buffer.from('ping'));
      expect(data.toString()).toBe('ping');
      expect(ms).toBeGreaterThanOrEqual(1_000);
    } finally {
      await link.close();
    }
  });

  it('resets new connections at once when down', async () => {
    const link = await open(echoPort, () => ({ latencyMs: 0, lossRate: 0, down: true }));
    try {
      const started = performance.now();
      expect(['reset', 'closed']).toContain(await fate(link.port, 1_000));
      expect(performance.now() - started).toBeLessThan(500);
    } finally {
      await link.close();
    }
  });

  it('reads the condition at each new connection, with the time it is given', async () => {
    let condition = healthy;
    const seen: number[] = [];
    const link = await open(
      echoPort,
      (now) => {
        seen.push(now);
        return condition;
      },
      () => 42,
    );
    try {
      expect((await roundTrip(link.port, Buffer.from('a'))).data.toString()).toBe('a');
      condition = { ...healthy, down: true };
      expect(await fate(link.port, 1_000)).not.toBe('open');
      condition = healthy;
      expect((await roundTrip(link.port, Buffer.from('b'))).data.toString()).toBe('b');
      expect(seen).toEqual([42, 42, 42]);
    } finally {
      await link.close();
    }
  });

  it('resets the client when the upstream refuses', async () => {
    const gone = createServer();
    const port = await listen(gone);
    await new Promise((resolve) => gone.close(resolve));
    const link = await open(port, () => healthy);
    try {
      expect(await fate(link.port, 1_000)).not.toBe('open');
    } finally {
      await link.close();
    }
  });

  it('leaves nothing open after close', async () => {
    const before = counts();
    const link = await open(echoPort, () => ({ latencyMs: 200, lossRate: 0, down: false }));
    const sockets: Socket[] = [];
    const closed = (socket: Socket) => new Promise((resolve) => socket.once('close', resolve));
    // One connection carrying data (chunks queued on timers), one still waiting to open.
    const carrying = connect(link.port, '127.0.0.1');
    carrying.on('error', () => {});
    sockets.push(carrying);
    await new Promise((resolve) => setTimeout(resolve, 300));
    carrying.write('in flight');
    const waiting = connect(link.port, '127.0.0.1');
    waiting.on('error', () => {});
    sockets.push(waiting);
    await new Promise((resolve) => waiting.once('connect', resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));

    await link.close();
    await Promise.all(sockets.map(closed));
    // Before the queued chunk was due: the link's sockets and server are gone, and no timer is added.
    await new Promise((resolve) => setImmediate(resolve));
    const after = counts();
    for (const kind of ['TCPServerWrap', 'TCPSocketWrap', 'Timeout']) {
      expect(after.get(kind) ?? 0, kind).toBeLessThanOrEqual(before.get(kind) ?? 0);
    }
    expect(await fate(link.port, 1_000)).toBe('closed'); // refused: nothing listens any more
  });
});

describe('demo site network conditions', () => {
  const estate = parse(readFileSync(new URL('../../examples/demo-estate.yaml', import.meta.url), 'utf8')) as {
    sites: { id: string }[];
  };
  const sites = estate.sites.map((site) => site.id);
  const at = (minute: number) => Date.UTC(2026, 10, 23, 14, minute, 30);
  const problems = [CONGESTION.site, PACKET_LOSS.site, LINK_DOWN.site];

  it('name three different real sites of the demo estate', () => {
    expect(sites).toHaveLength(12);
    expect(new Set(problems).size).toBe(3);
    for (const site of problems) expect(sites).toContain(site);
  });

  it('give every site a small steady baseline of its own when healthy', () => {
    for (const site of sites) {
      const baseline = baselineLatencyMs(site);
      expect(baseline).toBeGreaterThanOrEqual(BASELINE_LATENCY_MS.min);
      expect(baseline).toBeLessThanOrEqual(BASELINE_LATENCY_MS.max);
      expect(siteCondition(site, at(0))).toEqual({ latencyMs: baseline, lossRate: 0, down: false });
      expect(siteCondition(site, at(59))).toEqual(siteCondition(site, at(0)));
    }
    expect(new Set(sites.map(baselineLatencyMs)).size).toBeGreaterThan(1);
  });

  it('congest, lose and take down one site each on the schedule', () => {
    expect(siteCondition(CONGESTION.site, at(7)).latencyMs).toBeGreaterThanOrEqual(300);
    expect(siteCondition(CONGESTION.site, at(7 + 15)).latencyMs).toBeGreaterThanOrEqual(300);
    expect(siteCondition(CONGESTION.site, at(CONGESTION.fromMinute + CONGESTION.minutes)).latencyMs).toBe(
      baselineLatencyMs(CONGESTION.site),
    );
    expect(siteCondition(PACKET_LOSS.site, at(11)).lossRate).toBe(0.3);
    expect(siteCondition(PACKET_LOSS.site, at(PACKET_LOSS.fromMinute + PACKET_LOSS.minutes)).lossRate).toBe(
      0,
    );
    expect(siteCondition(LINK_DOWN.site, at(40)).down).toBe(true);
    expect(siteCondition(LINK_DOWN.site, at(40 - 15)).down).toBe(false);
    expect(siteCondition(LINK_DOWN.site, at(LINK_DOWN.fromMinute + LINK_DOWN.minutes)).down).toBe(false);
  });

  it('keep every other site healthy meanwhile', () => {
    const windows: [string, number][] = [
      [CONGESTION.site, 7],
      [PACKET_LOSS.site, 11],
      [LINK_DOWN.site, 40],
    ];
    for (const [troubled, minute] of windows) {
      for (const site of sites.filter((s) => s !== troubled)) {
        expect(siteCondition(site, at(minute)), `${site} at minute ${minute}`).toEqual({
          latencyMs: baselineLatencyMs(site),
          lossRate: 0,
          down: false,
        });
      }
    }
  });

  it('show at least one local problem in any 15 minutes', () => {
    for (let start = 0; start < 60; start++) {
      const troubled = Array.from({ length: 15 }, (_, i) => at((start + i) % 60)).some((t) =>
        sites.some((site) => {
          const c = siteCondition(site, t);
          return c.down || c.lossRate > 0 || c.latencyMs > BASELINE_LATENCY_MS.max;
        }),
      );
      expect(troubled, `from minute ${start}`).toBe(true);
    }
  });
});
