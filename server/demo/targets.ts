import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answer, demoSystems } from './behaviour.js';

export interface DemoTargets {
  /** host:port for `${VANTAGE_DEMO_TARGETS}` in the demo estate file. */
  address: string;
  close(): Promise<void>;
}

/**
 * Stand-ins for the demo estate's systems, all on one loopback port: each answers under its own
 * path as its profile in behaviour.ts says, so the demo runs offline with nothing outside the machine.
 */
export async function startDemoTargets(
  options: { now?: () => number; random?: () => number } = {},
): Promise<DemoTargets> {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const server: Server = createServer((req, res) => {
    const system = (req.url ?? '/').split('/')[1] ?? '';
    const reply = answer(system, now(), random);
    if (!reply) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not a demo system\n');
      return;
    }
    const page = demoSystems[system]?.page ?? system;
    setTimeout(() => {
      if (reply.status === 503) {
        res
          .writeHead(503, { 'content-type': 'text/plain', 'retry-after': '60' })
          .end('Service unavailable\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>${page}</title><h1>${page}</h1>\n`);
    }, reply.delayMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
