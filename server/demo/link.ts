import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/**
 * The state of a site's network link at a moment. Read once per new connection: a connection keeps
 * the link it was opened on, as a TCP flow keeps its path.
 */
export interface LinkCondition {
  /** Added round-trip time: half on the way out, half on the way back. */
  latencyMs: number;
  /** Chance, 0–1, that a connection's SYN is lost and TCP has to retransmit it. */
  lossRate: number;
  /** New connections are reset at once. */
  down: boolean;
}

export interface Link {
  port: number;
  /** host:port to give the site's agent in place of the systems' own address. */
  address: string;
  /** Stops listening and destroys every open connection and pending timer. */
  close(): Promise<void>;
}

/** TCP's first SYN retransmission waits 1 s, the second 2 s more (RFC 6298's doubling back-off). */
const FIRST_RETRANSMIT_MS = 1_000;
const SECOND_RETRANSMIT_MS = 2_000;

/** Bytes held in one direction's delay queue before the sender is paused, and when it resumes. */
const QUEUE_HIGH_BYTES = 1024 * 1024;
const QUEUE_LOW_BYTES = 256 * 1024;

/**
 * A repeatable draw in [0, 1) for the n-th connection (a hashed counter), so a test or a demo run
 * loses the same connections each time rather than whatever Math.random gives.
 */
function draw(n: number): number {
  let h = (n + 0x9e3779b9) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

/**
 * How long a new connection takes to open: one round trip for the handshake, plus the retransmission
 * waits of a lost SYN. One draw serves both losses, so a second loss (chance lossRate²) only ever
 * follows a first, as it must.
 */
function openingDelayMs(condition: LinkCondition, random: number): number {
  let delay = Math.max(0, condition.latencyMs);
  if (random < condition.lossRate) delay += FIRST_RETRANSMIT_MS;
  if (random < condition.lossRate * condition.lossRate) delay += SECOND_RETRANSMIT_MS;
  return delay;
}

/** Timers of one link, so close() can clear whatever is still pending. */
class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();

  after(ms: number, run: () => void): () => void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      run();
    }, ms);
    this.pending.add(timer);
    return () => {
      clearTimeout(timer);
      this.pending.delete(timer);
    };
  }

  clear(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}

/**
 * Carries one direction of a connection, each chunk `delayMs` after it arrived. A single queue and
 * one timer at a time keep the order; the sender is paused while the queue is long or the receiver
 * is full, so a slow link back-pressures rather than buffering without bound.
 */
function carry(from: Socket, to: Socket, delayMs: number, timers: Timers): void {
  if (delayMs <= 0) {
    from.pipe(to);
    return;
  }
  const queue: { due: number; chunk: Buffer | undefined }[] = [];
  let queuedBytes = 0;
  let scheduled = false;
  let draining = false;

  const schedule = (): void => {
    const head = queue[0];
    if (scheduled || draining || !head) return;
    scheduled = true;
    timers.after(Math.max(0, head.due - performance.now()), () => {
      scheduled = false;
      flush();
    });
  };

  const flush = (): void => {
    const now = performance.now();
    if (to.destroyed) {
      queue.length = 0;
      queuedBytes = 0;
      from.resume();
      return;
    }
    for (let head = queue[0]; head && head.due <= now; head = queue[0]) {
      queue.shift();
      if (head.chunk === undefined) {
        to.end();
        return;
      }
      queuedBytes -= head.chunk.length;
      if (!to.write(head.chunk)) {
        draining = true;
        to.once('drain', () => {
          draining = false;
          flush();
        });
        break;
      }
    }
    if (from.isPaused() && queuedBytes <= QUEUE_LOW_BYTES && !draining) from.resume();
    schedule();
  };

  from.on('data', (chunk: Buffer) => {
    // The far side has gone: drop what is still sent, as the network would, rather than stall.
    if (to.destroyed) return;
    queue.push({ due: performance.now() + delayMs, chunk });
    queuedBytes += chunk.length;
    if (queuedBytes > QUEUE_HIGH_BYTES) from.pause();
    schedule();
  });
  from.once('end', () => {
    queue.push({ due: performance.now() + delayMs, chunk: undefined });
    schedule();
  });
}

/** Ends a socket abruptly, so the far side sees a reset as it would when the path fails. */
function reset(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting) socket.destroy();
  else socket.resetAndDestroy();
}

/**
 * A site's network link: a loopback TCP proxy in front of the demo systems that adds the latency
 * and loss, or the outage, that `condition` gives for the moment. Each demo site's agent goes
 * through its own link, so one site's network can fail alone, and the dashboard shows a problem
 * local to that site rather than to the system.
 */
export async function startLink(options: {
  upstream: { host: string; port: number };
  condition: (now: number) => LinkCondition;
  now?: () => number;
}): Promise<Link> {
  const now = options.now ?? Date.now;
  const timers = new Timers();
  const sockets = new Set<Socket>();
  let connections = 0;

  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    track(client);
    // Every error ends both sides in the 'close' handlers below; nothing is left to throw.
    client.on('error', () => {});
    const condition = options.condition(now());
    if (condition.down) {
      reset(client);
      return;
    }
    client.pause();
    let upstream: Socket | undefined;
    const cancelOpening = timers.after(openingDelayMs(condition, draw(connections++)), () => {
      const far = connect({ ...options.upstream, allowHalfOpen: true });
      upstream = far;
      track(far);
      far.on('error', () => {});
      far.once('close', (hadError) => {
        if (hadError) reset(client);
      });
      far.once('connect', () => {
        const oneWayMs = Math.max(0, condition.latencyMs) / 2;
        carry(client, far, oneWayMs, timers);
        carry(far, client, oneWayMs, timers);
        client.resume();
      });
    });
    client.once('close', (hadError) => {
      cancelOpening();
      if (!upstream) return;
      if (hadError) reset(upstream);
      // A clean close leaves the client's end queued for the far side, unless it never connected.
      else if (upstream.connecting) upstream.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        timers.clear();
        for (const socket of sockets) socket.destroy();
      }),
  };
}
