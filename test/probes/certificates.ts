import selfsigned from 'selfsigned';

const DAY_MS = 86_400_000;

export interface Issued {
  key: string;
  cert: string;
}

/**
 * A certificate for localhost and 127.0.0.1, valid from `notBefore` to `notAfter` (days from now,
 * negative for the past), self-signed or signed by `issuer`. EC keys keep generation to milliseconds.
 */
export async function certificate(options: {
  notBefore?: number;
  notAfter?: number;
  commonName?: string;
  issuer?: Issued;
  ca?: boolean;
}): Promise<Issued> {
  const now = Date.now();
  const commonName = options.commonName ?? 'localhost';
  const pems = await selfsigned.generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now + (options.notBefore ?? -1) * DAY_MS),
    notAfterDate: new Date(now + (options.notAfter ?? 365) * DAY_MS),
    ...(options.issuer ? { ca: { key: options.issuer.key, cert: options.issuer.cert } } : {}),
    extensions: options.ca
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
        ]
      : [
          { name: 'basicConstraints', cA: false, critical: true },
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
          { name: 'extKeyUsage', serverAuth: true },
          {
            name: 'subjectAltName',
            altNames: [
              { type: 2, value: 'localhost' },
              { type: 7, ip: '127.0.0.1' },
            ],
          },
        ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** The calendar date (UTC) `days` from now, as certificate messages print it. */
export function dateIn(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
}
