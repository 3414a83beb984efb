import { createServer } from 'node:net';

/** A loopback port nothing listens on now: for a server or sink a test starts with a fixed port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no loopback port was free');
  return address.port;
}
