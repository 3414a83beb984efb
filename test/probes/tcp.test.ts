import { describe, expect, it } from 'vitest';
import { probe } from './run.js';
import { useServers } from './servers.js';

const servers = useServers();

describe('tcp probe', () => {
  it('fails with class refused, naming the address, when nothing listens', async () => {
    const port = await servers.closedPort();
    const result = await probe({ type: 'tcp', target: `127.0.0.1:${port}` });
    expect(result).toMatchObject({ ok: false, state: 'fail' });
    expect(result.error).toEqual({ class: 'refused', message: `connection refused by 127.0.0.1:${port}` });
    expect(result.details?.address).toBe(`127.0.0.1:${port}`);
  });

  it('passes when the connection is accepted, timing it', async () => {
    const server = await servers.tcp(() => {});
    const result = await probe({ type: 'tcp', target: `127.0.0.1:${server.port}` });
    expect(result).toMatchObject({ ok: true, state: 'ok' });
    expect(result.phases.dnsMs).toBeNull();
    expect(result.phases.connectMs).toBeGreaterThan(0);
    expect(result.phases.totalMs).toBeGreaterThanOrEqual(result.phases.connectMs ?? 0);
    const byName = await probe({ type: 'tcp', target: `localhost:${server.port}` });
    expect(byName.ok, byName.error?.message).toBe(true);
    expect(byName.phases.dnsMs).toBeTypeOf('number');
  });

  it('sends a line and finds the expected text in the answer, reporting the banner', async () => {
    const server = await servers.tcp((socket) => {
      socket.on('data', (data: Buffer) => {
        if (data.toString() === 'PING\r\n') socket.write('+PONG\r\n');
      });
    });
    const result = await probe({
      type: 'tcp',
      target: `127.0.0.1:${server.port}`,
      send: 'PING\r\n',
      expectBanner: '+PONG',
    });
    expect(result.error).toBeUndefined();
    expect(result.details?.banner).toBe('+PONG');
    expect(result.phases.ttfbMs).toBeGreaterThanOrEqual(0);
    // It stops reading once the text has come; the server keeps the connection open.
    expect(result.elapsedMs).toBeLessThan(1000);
  });

  it('reads a greeting the server sends first, and fails one without the expected text by the timeout', async () => {
    const greeting = `220 mail.example.org ESMTP ${'x'.repeat(300)}\r\n`;
    const server = await servers.tcp((socket) => socket.write(greeting));
    const smtp = await probe({ type: 'tcp', target: `127.0.0.1:${server.port}`, expectBanner: '220 ' });
    expect(smtp.error).toBeUndefined();
    expect(smtp.details?.banner).toBe(greeting.trim().slice(0, 200));
    expect(smtp.elapsedMs).toBeLessThan(1000);
    const ssh = await probe({
      type: 'tcp',
      target: `127.0.0.1:${server.port}`,
      expectBanner: 'SSH-2.0',
      timeout: '1s',
    });
    expect(ssh.elapsedMs).toBeLessThan(1500);
    expect(ssh.error?.class).toBe('assertion');
    expect(ssh.error?.message).toBe(
      `the banner does not contain 'SSH-2.0' (got '${greeting.trim().slice(0, 200)}')`,
    );
  });

  it('fails when the server closes without the expected text', async () => {
    const server = await servers.tcp((socket) => socket.end());
    const result = await probe({ type: 'tcp', target: `127.0.0.1:${server.port}`, expectBanner: '220' });
    expect(result.error).toEqual({
      class: 'assertion',
      message: "the banner does not contain '220' (got nothing)",
    });
  });
});
