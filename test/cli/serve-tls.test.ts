import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { certificateFor, httpsGet } from '../helpers/certificates.js';
import { runCli, type ServerProcess, startCliServer } from '../helpers/cli.js';
import { smallEstateYaml } from '../helpers/estates.js';
import { signedIn } from '../helpers/sessions.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const running: ServerProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop('SIGKILL')));
});

function estateFile(): string {
  const config = join(tmp(), 'estate.yaml');
  writeFileSync(config, smallEstateYaml);
  return config;
}

describe('vantage serve --tls-cert --tls-key', () => {
  it('serves HTTPS with HSTS, and reads sessions only from the __Host- cookie', async () => {
    const config = estateFile();
    const db = join(tmp(), 'vantage.db');
    const certificate = await certificateFor(tmp());
    const server = await startCliServer([
      '--config',
      config,
      '--db',
      db,
      '--tls-cert',
      certificate.certFile,
      '--tls-key',
      certificate.keyFile,
    ]);
    running.push(server);
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);

    const health = await httpsGet(new URL('/healthz', server.url).toString(), certificate.cert);
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(health.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // A page asked for without a session is sent to sign in, over HTTPS too, with HSTS.
    const page = await httpsGet(new URL('/checks/epr-login', server.url).toString(), certificate.cert, {
      Accept: 'text/html',
    });
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/sign-in?next=%2Fchecks%2Fepr-login');
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');

    // Over HTTPS the browser holds the session as __Host-vantage_session (Secure, this host only): a
    // cookie of the plain name, which any page of the domain over HTTP could have set, is not read.
    const store = SqliteStores.open(db);
    const viewer = await signedIn(store, 'viewer');
    await store.close();
    const estate = new URL('/api/v1/estate', server.url).toString();
    const hostCookie = await httpsGet(estate, certificate.cert, {
      Cookie: `__Host-vantage_session=${viewer.secret}`,
    });
    expect(hostCookie.status).toBe(200);
    const plainCookie = await httpsGet(estate, certificate.cert, { Cookie: viewer.cookie });
    expect(plainCookie.status).toBe(401);
  });

  it('reads a renewed certificate on SIGHUP, and keeps the one in use when the new files cannot be served', async () => {
    const dir = tmp();
    const served = await certificateFor(dir);
    const renewed = await certificateFor(dir, 'renewed');
    const server = await startCliServer([
      '--config',
      estateFile(),
      '--db',
      join(dir, 'vantage.db'),
      '--tls-cert',
      served.certFile,
      '--tls-key',
      served.keyFile,
    ]);
    running.push(server);
    const health = new URL('/healthz', server.url).toString();
    const trusts = (ca: string) =>
      httpsGet(health, ca).then(
        (answer) => answer.status === 200,
        () => false,
      );
    expect(await trusts(served.cert)).toBe(true);
    expect(await trusts(renewed.cert)).toBe(false);

    // Renewed in place, as certbot and its kind do, then the server is told.
    writeFileSync(served.certFile, renewed.cert);
    writeFileSync(served.keyFile, renewed.key);
    server.child.kill('SIGHUP');
    expect(
      await until(
        () => trusts(renewed.cert),
        (ok) => ok,
      ),
    ).toBe(true);
    expect(server.stderr()).toContain('certificate read again');

    // A half-written renewal (the new certificate, the old key) is refused: the server keeps going.
    writeFileSync(served.certFile, served.cert);
    server.child.kill('SIGHUP');
    await until(
      async () => server.stderr(),
      (text) => text.includes('is not the key of the certificate'),
    );
    expect(server.stderr()).toContain('keeping the certificate in use');
    expect(await trusts(renewed.cert)).toBe(true);
  });

  it('serves plain HTTP without HSTS when given no certificate', async () => {
    const server = await startCliServer(['--config', estateFile(), '--db', join(tmp(), 'vantage.db')]);
    running.push(server);
    expect(server.url).toMatch(/^http:\/\//);
    const health = await fetch(new URL('/healthz', server.url));
    expect(health.status).toBe(200);
    expect(health.headers.get('strict-transport-security')).toBeNull();
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses files it cannot serve, before anything is written', async () => {
    const config = estateFile();
    const dir = tmp();
    const one = await certificateFor(dir, 'one');
    const other = await certificateFor(dir, 'other');
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate\n');
    const missing = join(dir, 'missing.crt');
    const cases: [string[], string][] = [
      [['--tls-cert', missing, '--tls-key', one.keyFile], `cannot read --tls-cert ${missing}: no such file`],
      [
        ['--tls-cert', one.certFile, '--tls-key', other.keyFile],
        `--tls-key ${other.keyFile} is not the key of the certificate in --tls-cert ${one.certFile}`,
      ],
      [['--tls-cert', garbage, '--tls-key', one.keyFile], `--tls-cert ${garbage} is not a PEM certificate`],
      [['--tls-cert', one.certFile, '--tls-key', garbage], `--tls-key ${garbage} is not a PEM private key`],
      // A key where the certificate goes: still not a certificate.
      [
        ['--tls-cert', one.keyFile, '--tls-key', one.keyFile],
        `--tls-cert ${one.keyFile} is not a PEM certificate`,
      ],
    ];
    const before = readdirSync(dir).sort();
    for (const [args, message] of cases) {
      const db = join(dir, 'data', 'vantage.db');
      const run = runCli(['serve', '--config', config, '--db', db, '--port', '0', ...args]);
      expect(run.stderr).toContain(`vantage serve: ${message}`);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(existsSync(db)).toBe(false);
    }
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('takes the certificate and key together or not at all, and not with --demo', async () => {
    const dir = tmp();
    const certificate = await certificateFor(dir);
    const alone = runCli(['serve', '--config', estateFile(), '--tls-cert', certificate.certFile]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain(
      'vantage serve: --tls-cert and --tls-key go together; --tls-cert was given alone',
    );
    const demo = runCli([
      'serve',
      '--demo',
      '--tls-cert',
      certificate.certFile,
      '--tls-key',
      certificate.keyFile,
    ]);
    expect(demo.code).toBe(2);
    expect(demo.stderr).toContain('vantage serve: --demo serves plain HTTP only');
  });
});
