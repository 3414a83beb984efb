import type { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { Attempt } from './attempt.js';
import { connectTcp } from './connect.js';
import { Stopped } from './failure.js';
import type { ProbeRunner } from './kind.js';
import { resolveHost } from './resolve.js';
import type { Phases, ProbeResult } from './result.js';
import { parseHostPort } from './target.js';
import type { TcpSpec } from './tcp-fields.js';
import { since } from './timing.js';

/** A banner is a line or two; reading stops here even if the expected text never came. */
const BANNER_LIMIT_BYTES = 64 * 1024;
const BANNER_SHOWN_CHARS = 200;

async function runTcp(spec: TcpSpec, signal: AbortSignal): Promise<ProbeResult> {
  const attempt = new Attempt(spec, signal);
  try {
    const phases = attempt.hop();
    const { host, port } = parseHostPort(spec.target) as { host: string; port: number };
    const addresses = await resolveHost(host, attempt, phases);
    const socket = await connectTcp(addresses, port, attempt, phases);
    if (spec.expectBanner === undefined) {
      if (spec.send !== undefined) await attempt.wait('sending', write(socket, spec.send));
      return attempt.finish(undefined, spec.expect?.degradedMs);
    }
    const banner = await readBanner(socket, spec.send, spec.expectBanner, attempt, phases);
    attempt.details.banner = banner.trim().slice(0, BANNER_SHOWN_CHARS);
    if (banner.includes(spec.expectBanner)) return attempt.finish(undefined, spec.expect?.degradedMs);
    const got = attempt.details.banner ? `got '${attempt.details.banner}'` : 'got nothing';
    return attempt.finish(
      { class: 'assertion', message: `the banner does not contain '${spec.expectBanner}' (${got})` },
      undefined,
    );
  } catch (error) {
    return attempt.fail(error);
  } finally {
    attempt.close();
  }
}

/**
 * Sends `send` (if any) and reads until the expected text has come, the server closes, the read
 * bound is reached or the run is stopped. `ttfbMs` is from the connection (or the send) to the first
 * byte received.
 */
async function readBanner(
  socket: Socket,
  send: string | undefined,
  expected: string,
  attempt: Attempt,
  phases: Phases,
): Promise<string> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  let bytes = 0;
  let started = performance.now();
  const done = new Promise<string>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      if (bytes === 0) phases.ttfbMs = since(started);
      bytes += chunk.length;
      text += decoder.write(chunk);
      if (text.includes(expected) || bytes >= BANNER_LIMIT_BYTES) resolve(text);
    });
    socket.once('end', () => resolve(text));
    socket.once('close', () => resolve(text));
    socket.once('error', reject);
  });
  if (send !== undefined) {
    await attempt.wait('sending', write(socket, send));
    if (bytes === 0) started = performance.now();
  }
  try {
    return await attempt.wait(`waiting for the banner '${expected}'`, done);
  } catch (error) {
    // A server that said something else and went quiet did answer: that is a wrong banner, not silence.
    if (error instanceof Stopped && bytes > 0) return text;
    throw error;
  }
}

function write(socket: Socket, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

export const tcp = {
  type: 'tcp' as const,
  summary: 'a TCP connection, optionally sending a line and expecting a banner',
  example: 'mail.example.org:25',
  checkTarget(target) {
    const parsed = parseHostPort(target);
    return typeof parsed === 'string' ? parsed : undefined;
  },
  run: runTcp,
} satisfies ProbeRunner;
