import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface CertificateFiles {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

/** A self-signed certificate for 127.0.0.1 and localhost, written to `dir` as NAME.crt and NAME.key. */
export async function certificateFor(dir: string, name = 'server'): Promise<CertificateFiles> {
  const made = await generate([{ name: 'commonName', value: 'vantage.test' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  writeFileSync(certFile, made.cert);
  writeFileSync(keyFile, made.private);
  return { cert: made.cert, key: made.private, certFile, keyFile };
}

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request over HTTPS, trusting only `ca`. */
export function httpsGet(
  url: string,
  ca: string,
  headers: Record<string, string> = {},
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
