import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/tmp.js';
import { certificate, dateIn, type Issued } from './certificates.js';
import { probe } from './run.js';
import { useServers } from './servers.js';

const servers = useServers();
const tmp = useTmpDir();

/** A TLS server presenting `chain` (leaf first), and a CA file trusting `root`. */
async function tlsSite(key: string, chain: string, root: Issued) {
  const { port } = await servers.tls({ key, cert: chain });
  const caFile = join(tmp(), 'root.pem');
  writeFileSync(caFile, root.cert);
  return { port, caFile };
}

describe('tls probe', () => {
  it('reports the leaf and the chain above it, and passes when expiry is far enough away', async () => {
    const root = await certificate({ commonName: 'Vantage Test Root', ca: true, notAfter: 3650 });
    const leaf = await certificate({ issuer: root, notAfter: 200 });
    const site = await tlsSite(leaf.key, `${leaf.cert}\n${root.cert}`, root);
    const result = await probe({
      type: 'tls',
      target: `127.0.0.1:${site.port}`,
      ca: site.caFile,
      expect: { minDaysToExpiry: 14 },
    });
    expect(result.error).toBeUndefined();
    expect(result.details?.certificate).toMatchObject({
      subject: 'CN=localhost',
      issuer: 'CN=Vantage Test Root',
    });
    expect(result.details?.certificate?.daysToExpiry).toBeCloseTo(200, 0);
    expect(result.details?.chain).toEqual([
      expect.objectContaining({ subject: 'CN=Vantage Test Root', issuer: 'CN=Vantage Test Root' }),
    ]);
    expect(result.phases.connectMs).toBeGreaterThan(0);
    expect(result.phases.tlsMs).toBeGreaterThan(0);
    expect(result.phases.ttfbMs).toBeNull();
  });

  it('fails a certificate that expires within minDaysToExpiry, saying when', async () => {
    const soon = await certificate({ notAfter: 3 + 1 / 24 });
    const site = await tlsSite(soon.key, soon.cert, soon);
    const result = await probe({
      type: 'tls',
      target: `localhost:${site.port}`,
      ca: site.caFile,
      expect: { minDaysToExpiry: 14 },
    });
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({
      class: 'tls',
      message: `certificate expires in 3 days (${dateIn(3 + 1 / 24)}), fewer than the 14 required`,
    });
    expect(result.details?.certificate?.daysToExpiry).toBeCloseTo(3.04, 1);
    const lenient = await probe({
      type: 'tls',
      target: `localhost:${site.port}`,
      ca: site.caFile,
      expect: { minDaysToExpiry: 2 },
    });
    expect(lenient.ok).toBe(true);
  });

  it('fails an expired certificate, saying how long ago, even when its issuer is trusted', async () => {
    const expired = await certificate({ notBefore: -30, notAfter: -(3 + 1 / 24) });
    const site = await tlsSite(expired.key, expired.cert, expired);
    const trusted = await probe({ type: 'tls', target: `127.0.0.1:${site.port}`, ca: site.caFile });
    expect(trusted.error).toEqual({
      class: 'tls',
      message: `certificate expired 3 days ago (${dateIn(-(3 + 1 / 24))})`,
    });
    expect(trusted.details?.certificate?.daysToExpiry).toBeLessThan(-3);
    const insecure = await probe({
      type: 'tls',
      target: `127.0.0.1:${site.port}`,
      insecure: true,
      expect: { minDaysToExpiry: 1 },
    });
    expect(insecure.error?.message).toBe(`certificate expired 3 days ago (${dateIn(-(3 + 1 / 24))})`);
  });

  it('refuses a certificate from an issuer that is not trusted, naming the issuer', async () => {
    const root = await certificate({ commonName: 'Unknown Root', ca: true });
    const leaf = await certificate({ issuer: root });
    const other = await certificate({ commonName: 'Some Other Root', ca: true });
    const site = await tlsSite(leaf.key, leaf.cert, other);
    const result = await probe({ type: 'tls', target: `127.0.0.1:${site.port}`, ca: site.caFile });
    expect(result.error).toEqual({
      class: 'tls',
      message: 'certificate of 127.0.0.1 is issued by an authority that is not trusted (CN=Unknown Root)',
    });
  });
});
