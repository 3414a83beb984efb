import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Why the CA file cannot be used, read now; undefined when it holds PEM certificates. */
export function caFileProblem(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return `cannot read the CA file ${file}: ${readFailure(error)}`;
  }
  return caTextProblem(file, text);
}

/** Why the text of a CA file cannot be used, or undefined when it can. */
export function caTextProblem(file: string, text: string): string | undefined {
  // Node silently ignores a CA that is not PEM, which would turn a typo into "not trusted".
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0 || !blocks.every(isCertificate))
    return `the CA file ${file} holds no PEM certificate`;
  return undefined;
}

/** "no such file", "permission denied", "it is a folder", or the system's code. */
export function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  return code ?? (error as Error).message;
}

function isCertificate(pem: string): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}
