import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  key: string;
  body: { idempotencyKey?: string; alert?: { id?: string } };
  /** The status answered; undefined while held open. */
  status?: number;
}

/** What the receiver does with a request: answer with a status (and headers), or hold it open. */
export type Answer = { status: number; headers?: Record<string, string> } | 'hold';

/**
 * A real HTTP receiver on 127.0.0.1 that records every JSON POST (its Idempotency-Key and body) and
 * answers as told; `accepted()` is what a receiver de-duplicating by key would have kept.
 */
export async function startReceiver(
  answer: (request: Received, index: number) => Answer = () => ({ status: 200 }),
) {
  const received: Received[] = [];
  const held: ServerResponse[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let decide = answer;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight--;
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: Received = {
        path: req.url ?? '/',
        key: String(req.headers['idempotency-key'] ?? ''),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
      };
      received.push(request);
      const what = decide(request, received.length - 1);
      if (what === 'hold') {
        held.push(res);
        return;
      }
      request.status = what.status;
      res.writeHead(what.status, { 'content-type': 'application/json', ...what.headers });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Keys of the requests answered 2xx, in order. */
    accepted: () => received.filter((r) => r.status !== undefined && r.status < 300).map((r) => r.key),
    maxInFlight: () => maxInFlight,
    answer(next: (request: Received, index: number) => Answer) {
      decide = next;
    },
    /** Cuts off any request held open; once only. */
    async close() {
      if (!server.listening) return;
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
