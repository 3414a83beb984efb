import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runProbe } from '../../probes/run.js';
import { check, probe } from './run.js';
import { useServers } from './servers.js';

const servers = useServers();
/** The timeout, plus what a prompt end may take on a busy machine. */
const BOUND_MS = 1000 + 500;
/** A probe that ignores its signal fails here fast rather than at vitest's 30 s default. */
const TEST_LIMIT = { timeout: 5_000 };

/** Sends an HTTP answer one byte a second, starting when the request arrives. */
function trickle(socket: Socket): void {
  const answer = Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok');
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  socket.once('data', () => {
    const next = () => {
      if (socket.destroyed || sent >= answer.length) return;
      socket.write(answer.subarray(sent, sent + 1));
      sent += 1;
      timer = setTimeout(next, 1000);
    };
    next();
  });
  socket.on('close', () => clearTimeout(timer));
  socket.on('error', () => {});
}

describe('probes end promptly when the timeout passes', () => {
  it(
    'an HTTP server that accepts and never answers: timeout, waiting for the first byte',
    TEST_LIMIT,
    async () => {
      const server = await servers.tcp(() => {});
      const result = await probe({
        type: 'http',
        target: server.origin.replace('tcp:', 'http:'),
        timeout: '1s',
      });
      expect(result.error).toEqual({
        class: 'timeout',
        message: 'no answer within 1 s (waiting for the first byte)',
      });
      expect(result.elapsedMs).toBeLessThan(BOUND_MS);
      expect(result.phases.totalMs).toBeGreaterThanOrEqual(990);
      expect(result.phases.connectMs).toBeGreaterThan(0);
    },
  );

  it(
    'an HTTP server sending its headers a byte a second: timeout, reading the headers',
    TEST_LIMIT,
    async () => {
      const server = await servers.tcp(trickle);
      const result = await probe({
        type: 'http',
        target: server.origin.replace('tcp:', 'http:'),
        timeout: '1s',
      });
      expect(result.error).toEqual({
        class: 'timeout',
        message: 'no answer within 1 s (reading the response headers)',
      });
      expect(result.elapsedMs).toBeLessThan(BOUND_MS);
    },
  );

  it('a TLS server that never finishes the handshake: timeout, in the handshake', TEST_LIMIT, async () => {
    const server = await servers.tcp(() => {});
    const result = await probe({ type: 'tls', target: `127.0.0.1:${server.port}`, timeout: '1s' });
    expect(result.error).toEqual({
      class: 'timeout',
      message: `no answer within 1 s (in the TLS handshake with 127.0.0.1:${server.port})`,
    });
    expect(result.elapsedMs).toBeLessThan(BOUND_MS);
  });

  it(
    'a TCP server that never sends the banner, and a DNS server that never answers',
    TEST_LIMIT,
    async () => {
      const tcp = await servers.tcp(() => {});
      const banner = await probe({
        type: 'tcp',
        target: `127.0.0.1:${tcp.port}`,
        expectBanner: '220',
        timeout: '1s',
      });
      expect(banner.error).toEqual({
        class: 'timeout',
        message: "no answer within 1 s (waiting for the banner '220')",
      });
      expect(banner.elapsedMs).toBeLessThan(BOUND_MS);

      const dns = await servers.dns({}, false);
      const lookup = await probe({
        type: 'dns',
        target: 'epr.example.org',
        server: dns.origin,
        timeout: '1s',
      });
      expect(lookup.error).toEqual({
        class: 'timeout',
        message: `no answer within 1 s (waiting for the DNS answer from ${dns.origin})`,
      });
      expect(lookup.elapsedMs).toBeLessThan(BOUND_MS);
    },
  );

  it(
    'a run stopped for another reason says why, and a signal aborted before the start ends at once',
    TEST_LIMIT,
    async () => {
      const server = await servers.tcp(() => {});
      const controller = new AbortController();
      const running = runProbe(
        check({ type: 'http', target: `http://127.0.0.1:${server.port}/` }),
        controller.signal,
      );
      setTimeout(() => controller.abort(new Error('the check was removed')), 50);
      const stopped = await running;
      expect(stopped.error).toEqual({
        class: 'timeout',
        message: 'stopped (the check was removed) while waiting for the first byte',
      });

      const started = performance.now();
      const early = await runProbe(
        check({ type: 'tcp', target: `127.0.0.1:${server.port}` }),
        AbortSignal.abort(),
      );
      expect(early.error?.class).toBe('timeout');
      expect(performance.now() - started).toBeLessThan(100);
    },
  );
});
