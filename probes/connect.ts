import { connect, type Socket } from 'node:net';
import type { Attempt } from './attempt.js';
import { codeOf } from './classify.js';
import { Stopped } from './failure.js';
import { formatAddress } from './resolve.js';
import type { Phases } from './result.js';
import { since } from './timing.js';

/** Errors that come back at once, so the next address of the host is worth a try. */
const TRY_NEXT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT']);

/**
 * A new TCP connection to the first of the addresses that accepts, timed into `connectMs`. Trying
 * the next address on a quick refusal is what makes `localhost` work whether the server listens on
 * 127.0.0.1 or ::1; a timeout is not retried, so one run never waits twice.
 */
export async function connectTcp(addresses: string[], port: number, attempt: Attempt, phases: Phases) {
  const started = performance.now();
  try {
    for (let index = 0; index < addresses.length; index++) {
      const ip = addresses[index] as string;
      const address = formatAddress(ip, port);
      attempt.details.address = address;
      const socket: Socket = attempt.own(connect({ host: ip, port, noDelay: true }));
      try {
        await attempt.wait(`connecting to ${address}`, connected(socket));
        return socket;
      } catch (error) {
        socket.destroy();
        const last = index === addresses.length - 1;
        if (error instanceof Stopped || last || !TRY_NEXT.has(codeOf(error) ?? '')) throw error;
      }
    }
    throw new Error('no address to connect to');
  } finally {
    phases.connectMs = since(started);
  }
}

/**
 * Settles when the socket connects or fails, as events.once(socket, 'connect') does, without its
 * once-wrappers and removals: 'connect' comes at most once, and a later error finds a listener here.
 */
function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.on('connect', resolve);
    socket.on('error', reject);
  });
}
