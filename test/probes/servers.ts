import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer as createHttpServer, type Server as HttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import dnsPacket from 'dns-packet';
import { afterEach } from 'vitest';

export interface Listening {
  port: number;
  /** `http://127.0.0.1:PORT` (or https://) for servers that speak HTTP. */
  origin: string;
}

export interface DnsRecords {
  [name: string]: { type: 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT'; data: unknown }[];
}

/**
 * Servers on 127.0.0.1, port 0, each closed (connections too) after the test that started it.
 * Call once at the top of a test file.
 */
export function useServers() {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  async function listenTcp(server: Server, scheme: string): Promise<Listening> {
    const sockets = new Set<Socket>();
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    const { port } = server.address() as AddressInfo;
    return { port, origin: `${scheme}://127.0.0.1:${port}` };
  }

  return {
    http(handler: RequestListener): Promise<Listening> {
      return listenTcp(createHttpServer(handler), 'http');
    },
    https(tls: { key: string; cert: string }, handler: RequestListener): Promise<Listening> {
      return listenTcp(createHttpsServer(tls, handler) as unknown as HttpServer, 'https');
    },
    /** A TLS server presenting `cert` (a PEM chain, leaf first) that closes each connection after the handshake. */
    tls(options: { key: string; cert: string }): Promise<Listening> {
      return listenTcp(
        createTlsServer(options, (socket) => socket.end()),
        'tls',
      );
    },
    /** A plain TCP server; `onConnection` talks to each client. */
    tcp(onConnection: (socket: Socket) => void): Promise<Listening> {
      return listenTcp(createTcpServer(onConnection), 'tcp');
    },
    /** A port nothing listens on: bound, then closed, so it was free a moment ago. */
    async closedPort(): Promise<number> {
      const server = createTcpServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    },
    /** A UDP DNS server answering from `records`, NXDOMAIN for other names; silent when `answer` is false. */
    async dns(records: DnsRecords, answer = true): Promise<Listening> {
      const socket: UdpSocket = createSocket('udp4');
      socket.on('message', (message, peer) => {
        if (!answer) return;
        socket.send(dnsAnswer(message, records), peer.port, peer.address);
      });
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      closers.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
      const { port } = socket.address();
      return { port, origin: `127.0.0.1:${port}` };
    },
  };
}

const NXDOMAIN = 3;

function dnsAnswer(message: Buffer, records: DnsRecords): Buffer {
  const query = dnsPacket.decode(message);
  const question = query.questions?.[0];
  const known = question ? records[question.name.toLowerCase()] : undefined;
  const answers = (known ?? [])
    .filter((record) => record.type === question?.type)
    .map((record) => ({ type: record.type, name: question?.name ?? '', ttl: 60, data: record.data }));
  return dnsPacket.encode({
    type: 'response',
    id: query.id,
    flags: dnsPacket.AUTHORITATIVE_ANSWER | (known ? 0 : NXDOMAIN),
    questions: query.questions,
    answers: answers as dnsPacket.Answer[],
  });
}
