import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerClient } from '../../agent/client.js';

let server: Server | undefined;
let client: ServerClient | undefined;
afterEach(async () => {
  client?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

/**
 * A server that drops each connection as the second request arrives on it, as a server closing an
 * idle kept-alive connection does when a request crosses its close.
 */
async function droppingServer(): Promise<{ url: string; requests: string[] }> {
  const seen = new WeakMap<Socket, number>();
  const requests: string[] = [];
  server = createServer((req, res) => {
    const count = (seen.get(req.socket) ?? 0) + 1;
    seen.set(req.socket, count);
    requests.push(`${req.method} ${req.url} #${count}`);
    if (count > 1) {
      req.socket.destroy();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests };
}

describe("the agent's connection to the server", () => {
  it('sends a request again on a new connection when a kept-alive one was closed under it', async () => {
    const { url, requests } = await droppingServer();
    client = new ServerClient({ server: url, token: 'vat_x' });
    expect((await client.request('GET', '/api/v1/agent/assignments')).status).toBe(200);
    const pushed = await client.request('POST', '/api/v1/agent/results', { json: { results: [] } });
    expect(pushed).toMatchObject({ status: 200, body: { ok: true } });
    expect(requests).toEqual([
      'GET /api/v1/agent/assignments #1',
      'POST /api/v1/agent/results #2',
      'POST /api/v1/agent/results #1',
    ]);
  });

  it('does not send again when a new connection fails', async () => {
    const { url } = await droppingServer();
    server?.close();
    client = new ServerClient({ server: url, token: 'vat_x' });
    await expect(client.request('GET', '/api/v1/agent/assignments')).rejects.toThrow(/ECONNREFUSED/);
  });
});
