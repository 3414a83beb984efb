import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stand-ins for the demo estate's systems, all on one loopback port: each system answers under its
 * own path after a delay typical of it, so the demo runs offline with nothing outside the machine.
 */
const systems: Record<string, { medianMs: number; page: string }> = {
  epr: { medianMs: 180, page: 'Riverside EPR: Sign in' },
  'mh-record': { medianMs: 220, page: 'Leaside clinical record: Sign in' },
  'gp-system': { medianMs: 150, page: 'GP clinical system: Sign in' },
  'shared-care-record': { medianMs: 260, page: 'Thames Shared Care Record: Sign in' },
  email: { medianMs: 120, page: 'Thamesmail: Sign in' },
  identity: { medianMs: 90, page: 'Thames single sign-on: Sign in' },
  'social-care-record': { medianMs: 240, page: 'Millwater case management: Sign in' },
  network: { medianMs: 20, page: 'HSCN gateway: OK' },
};

export interface DemoTargets {
  /** host:port for `${VANTAGE_DEMO_TARGETS}` in the demo estate file. */
  address: string;
  close(): Promise<void>;
}

export async function startDemoTargets(random: () => number = Math.random): Promise<DemoTargets> {
  const server: Server = createServer((req, res) => {
    const system = systems[(req.url ?? '/').split('/')[1] ?? ''];
    if (!system) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not a demo system\n');
      return;
    }
    // Log-normal delays: most requests near the median, a long tail of slow ones, as real systems have.
    const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const delay = system.medianMs * Math.exp(0.35 * gaussian);
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>${system.page}</title><h1>${system.page}</h1>\n`);
    }, delay);
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
