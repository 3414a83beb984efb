import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';

/** Where `vantage serve --tls-cert FILE --tls-key FILE` finds its certificate (chain) and private key. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export interface TlsCredentials {
  cert: Buffer;
  key: Buffer;
  /** The certificate's subject and end, for the log. */
  subject: string;
  validTo: Date;
}

/** The certificate or key cannot be served: said in terms of the options that named them. */
export class TlsFilesError extends Error {}

/**
 * Reads and checks the certificate and key before the server takes its port or opens its database,
 * so a wrong file is a clear message at start, not a handshake failure in every browser later.
 */
export function loadTlsFiles(files: TlsFiles): TlsCredentials {
  const cert = readPem(files.certFile, '--tls-cert');
  const key = readPem(files.keyFile, '--tls-key');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new TlsFilesError(`--tls-cert ${files.certFile} is not a PEM certificate`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new TlsFilesError(
      `--tls-key ${files.keyFile} is not a PEM private key without a passphrase (an encrypted key cannot be read unattended)`,
    );
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new TlsFilesError(
      `--tls-key ${files.keyFile} is not the key of the certificate in --tls-cert ${files.certFile}`,
    );
  }
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new TlsFilesError(
      `--tls-cert ${files.certFile} and --tls-key ${files.keyFile} cannot be served: ${(error as Error).message}`,
    );
  }
  return {
    cert,
    key,
    subject: certificate.subject.replaceAll('\n', ', '),
    validTo: new Date(certificate.validTo),
  };
}

function readPem(file: string, option: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new TlsFilesError(`cannot read ${option} ${file}: ${why}`);
  }
}
