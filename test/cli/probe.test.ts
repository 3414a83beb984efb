import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliPath, spawnCli } from '../helpers/cli.js';
import { useTmpDir } from '../helpers/tmp.js';
import { certificate } from '../probes/certificates.js';
import { useServers } from '../probes/servers.js';

const servers = useServers();
const tmp = useTmpDir();

beforeAll(() => {
  if (!existsSync(join(cliPath, '..', 'probe.js'))) {
    throw new Error('the built CLI has no probe command: run `npx tsc -p tsconfig.build.json` first');
  }
});

/** Runs `vantage probe ARGS` without blocking this process, which serves the targets. */
const vantageProbe = (args: string[]) => spawnCli(['probe', ...args]);

const app = () =>
  servers.http((req, res) => {
    if (req.url === '/down') res.writeHead(503).end('maintenance');
    else if (req.url === '/slow') setTimeout(() => res.end('Sign in'), 150);
    else res.end('<title>Riverside EPR: Sign in</title>');
  });

describe('vantage probe', () => {
  it('prints the state, a waterfall of the phases and the status for a person; exit 0', async () => {
    const server = await app();
    const run = await vantageProbe(['http', `${server.origin}/slow`, '--expect-body', 'Sign in']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^OK http ${server.origin}/slow in \\d+\\.\\d ms$`));
    for (const phase of ['connect', 'ttfb', 'transfer']) {
      expect(
        lines.some((line) => new RegExp(`^  ${phase} +\\d+\\.\\d ms  +█+$`).test(line)),
        phase,
      ).toBe(true);
    }
    expect(run.stdout).not.toMatch(/^ {2}(dns|tls) /m);
    // The slow phase is the long bar, and it starts after the connect bar: a waterfall.
    const ttfb = lines.find((line) => line.startsWith('  ttfb')) ?? '';
    const connect = lines.find((line) => line.startsWith('  connect')) ?? '';
    expect((ttfb.match(/█/g) ?? []).length).toBeGreaterThan(30);
    expect(ttfb.indexOf('█')).toBeGreaterThanOrEqual(connect.indexOf('█'));
    expect(run.stdout).toMatch(/^ {2}total +\d+\.\d ms$/m);
    expect(run.stdout).toMatch(/^ {2}status +200$/m);
    expect(run.stdout).toMatch(/^ {2}redirects +0$/m);
  });

  it('--json prints exactly one result object with the documented fields', async () => {
    const server = await app();
    const run = await vantageProbe(['http', server.origin, '--json']);
    expect(run.code).toBe(0);
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(['details', 'ok', 'phases', 'startedAt', 'state', 'status']);
    expect(result).toMatchObject({ ok: true, state: 'ok', status: 200 });
    expect(new Date(result.startedAt as string).toISOString()).toBe(result.startedAt);
    expect(Object.keys(result.phases as object).sort()).toEqual([
      'connectMs',
      'dnsMs',
      'tlsMs',
      'totalMs',
      'transferMs',
      'ttfbMs',
    ]);
    expect(result.details).toMatchObject({ address: `127.0.0.1:${server.port}`, redirects: 0 });
  });

  it('exits 1 for a failed probe, printing FAILED and the message; --json still prints the result', async () => {
    const server = await app();
    const human = await vantageProbe(['http', `${server.origin}/down`, '--expect-status', '200,300-399']);
    expect(human.code).toBe(1);
    expect(human.stdout.split('\n')[0]).toMatch(
      /^FAILED http .* status 503, expected 200 or 300-399 \[http_status\]$/,
    );
    const port = await servers.closedPort();
    const json = await vantageProbe(['tcp', `127.0.0.1:${port}`, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      state: 'fail',
      error: { class: 'refused', message: `connection refused by 127.0.0.1:${port}` },
    });
  });

  it('exits 0 for a degraded probe, saying DEGRADED', async () => {
    const server = await app();
    const run = await vantageProbe(['http', `${server.origin}/slow`, '--degraded-ms', '50']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^DEGRADED http /);
  });

  it('gives up at --timeout and says where it was waiting', async () => {
    const silent = await servers.tcp(() => {});
    const run = await vantageProbe(['http', `http://127.0.0.1:${silent.port}/`, '--timeout', '1s']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('no answer within 1 s (waiting for the first byte) [timeout]');
    expect(run.ms).toBeLessThan(5000);
  });

  it('takes the TLS options: --ca trusts a certificate and shows its expiry and issuer', async () => {
    const issued = await certificate({ notAfter: 60 });
    const server = await servers.https(issued, (_req, res) => res.end('ok'));
    const caFile = join(tmp(), 'ca.pem');
    writeFileSync(caFile, issued.cert);
    const trusted = await vantageProbe(['http', server.origin, '--ca', caFile]);
    expect(trusted.code).toBe(0);
    expect(trusted.stdout).toMatch(/^ {2}tls +\d+\.\d ms +█+$/m);
    expect(trusted.stdout).toMatch(
      /^ {2}certificate +expires in 59 days \(\d{4}-\d\d-\d\d\), issued by CN=localhost$/m,
    );
    const untrusted = await vantageProbe([
      'tls',
      `127.0.0.1:${server.port}`,
      '--min-days',
      '90',
      '--insecure',
    ]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toMatch(/certificate expires in 59 days .*, fewer than the 90 required \[tls\]/);
  });

  it('takes the tcp and dns options', async () => {
    const tcp = await servers.tcp((socket) => {
      socket.on('data', (data: Buffer) => {
        if (data.toString() === 'PING\r\n') socket.write('+PONG\r\n');
      });
    });
    const banner = await vantageProbe([
      'tcp',
      `127.0.0.1:${tcp.port}`,
      '--send',
      'PING\\r\\n',
      '--expect-banner',
      'PONG',
    ]);
    expect(banner.code).toBe(0);
    expect(banner.stdout).toMatch(/^ {2}banner +"\+PONG"$/m);

    const dns = await servers.dns({
      'epr.example.org': [{ type: 'MX', data: { preference: 10, exchange: 'mail.example.org' } }],
    });
    const args = ['dns', 'epr.example.org', '--server', dns.origin, '--record', 'mx', '--json'];
    const found = await vantageProbe([...args, '--expect-answer', '10 mail.example.org']);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout)).toMatchObject({
      ok: true,
      details: { answers: ['10 mail.example.org'] },
    });
    const missing = await vantageProbe([...args, '--expect-answer', '20 backup.example.org']);
    expect(missing.code).toBe(1);
  });

  it.each([
    [['http'], /give a type and a target/],
    [['htp', 'http://x/'], /unknown type 'htp' \(did you mean 'http'\?\)/],
    [['http', 'ftp://x/'], /TARGET: 'ftp:\/\/x\/' must start with http:\/\/ or https:\/\//],
    [['http', 'http://x/', '--expect-status', 'abc'], /--expect-status: a status range is written '200-299'/],
    [['http', 'http://x/', '--send', 'hello'], /--send does not apply to http checks/],
    [['http', 'http://x/', '--timeout', '500'], /--timeout: invalid duration '500'/],
    [['http', 'http://x/', '--degraded-ms', 'soon'], /--degraded-ms must be a whole number, not 'soon'/],
    [['http', 'http://x/', '--header', 'no colon'], /--header is written "Name: value"/],
    [['tcp', 'mail.example.org'], /TARGET: 'mail.example.org' has no port/],
    [['dns', 'epr.example.org', '--record', 'SRV'], /--record: /],
    [['http', 'http://x/', '--timout', '1s'], /unknown option '--timout' \(did you mean '--timeout'\?\)/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const run = await vantageProbe(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });
});
