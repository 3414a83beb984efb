import { type IncomingMessage, request } from 'node:http';
import type { Socket } from 'node:net';
import type { Attempt } from './attempt.js';
import { connectTcp } from './connect.js';
import { readBody } from './http-body.js';
import type { Answer } from './http-expect.js';
import { resolveHost } from './resolve.js';
import type { Phases } from './result.js';
import { since } from './timing.js';
import { startTls, type TlsSettings } from './tls-session.js';

export interface Exchange {
  url: URL;
  method: string;
  /** The check's own headers; Host, Accept-Encoding and User-Agent are added unless it sets them. */
  headers: Record<string, string>;
  body: string | undefined;
  maxBodyBytes: number;
  tls: TlsSettings & { caText?: string };
}

export interface HopAnswer extends Answer {
  location: string | undefined;
}

/**
 * One request and its answer over a connection of its own, every phase timed: the name is resolved
 * here and the connection made to the address, so dnsMs, connectMs and tlsMs are measured on every
 * run (no agent, no pooled socket), while Host and the TLS server name stay the URL's host.
 */
export async function exchange(request: Exchange, attempt: Attempt): Promise<HopAnswer> {
  const phases = attempt.hop();
  const { url } = request;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const secure = url.protocol === 'https:';
  const port = Number(url.port) || (secure ? 443 : 80);
  const addresses = await resolveHost(host, attempt, phases);
  const tcp = await connectTcp(addresses, port, attempt, phases);
  // startTls destroys its own socket if it fails; from then on only the TLS socket may be destroyed.
  const socket: Socket = secure
    ? await startTls(tcp, host, request.tls, attempt, phases, { chain: false })
    : tcp;
  try {
    return await send(socket, request, attempt, phases);
  } finally {
    socket.destroy();
  }
}

async function send(
  socket: Socket,
  exchange: Exchange,
  attempt: Attempt,
  phases: Phases,
): Promise<HopAnswer> {
  let firstByteAt: number | undefined;
  let wroteAt: number | undefined;
  // Before the HTTP parser's own listener, so the first byte is timed when it arrives, not when parsed.
  socket.prependOnceListener('data', () => {
    firstByteAt = performance.now();
    attempt.stage = 'reading the response headers';
  });
  const req = attempt.own(
    request({
      method: exchange.method,
      path: `${exchange.url.pathname}${exchange.url.search}`,
      headers: {
        host: exchange.url.host,
        'user-agent': 'Vantage probe',
        accept: '*/*',
        'accept-encoding': 'gzip, deflate, br',
        ...exchange.headers,
      },
      // No agent: the request uses this connection and nothing is kept for the next run.
      createConnection: () => socket,
    }),
  );
  // 'finish' and 'response' come at most once, so plain listeners do without once-wrappers.
  req.on('finish', () => {
    wroteAt = performance.now();
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  req.end(exchange.body);
  const endedAt = performance.now();
  const res = await attempt.wait('waiting for the first byte', response);
  const firstByte = firstByteAt ?? performance.now();
  // 'finish' fires once the request is with the kernel; on a fast loopback the answer can beat it.
  const written = wroteAt !== undefined && wroteAt <= firstByte ? wroteAt : endedAt;
  phases.ttfbMs = Math.max(0, firstByte - written);
  try {
    const body = await attempt.wait('reading the body', readBody(res, exchange.maxBodyBytes));
    return {
      status: res.statusCode ?? 0,
      location: res.headers.location,
      body: body.bytes,
      capped: body.capped,
    };
  } finally {
    phases.transferMs = since(firstByte);
  }
}
