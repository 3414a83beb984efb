import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/tmp.js';
import { certificate, type Issued } from './certificates.js';
import { probe } from './run.js';
import { useServers } from './servers.js';

const servers = useServers();
const tmp = useTmpDir();
let selfSigned: Issued;

beforeAll(async () => {
  selfSigned = await certificate({ notAfter: 90 });
});

async function site() {
  const server = await servers.https(selfSigned, (_req, res) => res.end('secure hello'));
  const caFile = join(tmp(), 'ca.pem');
  writeFileSync(caFile, selfSigned.cert);
  return { ...server, caFile };
}

const facts = {
  subject: 'CN=localhost',
  issuer: 'CN=localhost',
  validFrom: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
  validTo: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
  daysToExpiry: expect.closeTo(90, 0),
};

describe('https probe', () => {
  it('trusts a self-signed certificate given as ca, timing the handshake', async () => {
    const server = await site();
    const result = await probe({
      type: 'http',
      target: server.origin,
      ca: server.caFile,
      expect: { bodyContains: 'secure' },
    });
    expect(result.error).toBeUndefined();
    expect(result.details?.certificate).toEqual(facts);
    expect(result.phases.tlsMs).toBeGreaterThan(0);
    expect(result.phases.dnsMs).toBeNull();
  });

  it('refuses it without ca, with class tls, and still reports the certificate', async () => {
    const server = await site();
    const result = await probe({ type: 'http', target: server.origin });
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({
      class: 'tls',
      message: 'certificate of 127.0.0.1 is self-signed and not trusted (give its CA file, or set insecure)',
    });
    expect(result.details?.certificate).toEqual(facts);
    expect(result.status).toBeUndefined();
  });

  it('accepts it with insecure, still reporting the certificate', async () => {
    const server = await site();
    const result = await probe({ type: 'http', target: server.origin, insecure: true });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.details?.certificate).toEqual(facts);
  });

  it('checks the name the certificate is for: the host, or servername when given', async () => {
    const server = await site();
    const byName = await probe({
      type: 'http',
      target: `https://localhost:${server.port}/`,
      ca: server.caFile,
    });
    expect(byName.error).toBeUndefined();
    const wrongName = await probe({
      type: 'http',
      target: server.origin,
      ca: server.caFile,
      servername: 'epr.example.org',
    });
    expect(wrongName.error).toEqual({
      class: 'tls',
      message: 'certificate is not for epr.example.org (it is for DNS:localhost, IP Address:127.0.0.1)',
    });
  });

  it('fails with class invalid, naming the file, when the CA file cannot be read or is not PEM', async () => {
    const server = await site();
    const missing = join(tmp(), 'missing.pem');
    const unreadable = await probe({ type: 'http', target: server.origin, ca: missing });
    expect(unreadable.error).toEqual({
      class: 'invalid',
      message: `cannot read the CA file ${missing}: no such file`,
    });
    const garbage = join(tmp(), 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    const notPem = await probe({ type: 'http', target: server.origin, ca: garbage });
    expect(notPem.error).toEqual({
      class: 'invalid',
      message: `the CA file ${garbage} holds no PEM certificate`,
    });
  });

  it('says so when the server does not speak TLS', async () => {
    const plain = await servers.http((_req, res) => res.end('plain'));
    const result = await probe({ type: 'http', target: `https://127.0.0.1:${plain.port}/` });
    expect(result.error?.class).toBe('tls');
    expect(result.error?.message).toMatch(
      new RegExp(`^TLS handshake with 127\\.0\\.0\\.1:${plain.port} failed: `),
    );
  });
});
