import type { ErrorClass } from './result.js';

/** Where a run was when a Node error reached it, for the message. */
export interface Where {
  /** The "ip:port" connected to, once known. */
  address?: string;
  /** What the run was waiting for ("waiting for the first byte"). */
  stage: string;
}

export interface Classified {
  class: ErrorClass;
  message: string;
}

const UNREACHABLE: Record<string, string> = {
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host down',
  ENETDOWN: 'network down',
  EADDRNOTAVAIL: 'no local address to reach it from',
};

/**
 * Errors of this machine's own resources. A probe that cannot open a socket has learnt nothing of
 * its target, so these are told apart from every failure of the target or the network.
 */
export const LOCAL_FAILURES: Record<string, string> = {
  EMFILE: 'this process has run out of file descriptors',
  ENFILE: 'the system has run out of file descriptors',
  ENOMEM: 'the system has run out of memory',
  ENOBUFS: 'the system has run out of network buffers',
};

/** The code of a `local` error, as its message starts with it, for /metrics. */
export function localCode(message: string): string {
  const code = /^[A-Z]+/.exec(message)?.[0];
  return code && code in LOCAL_FAILURES ? code : 'other';
}

/**
 * Turns an error from Node's sockets, TLS, HTTP parser or zlib into an error class and a message
 * that says what happened and where, in words a person can act on.
 */
export function classifyError(error: unknown, where: Where): Classified {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const peer = where.address ?? 'the server';
  const local = code === undefined ? undefined : LOCAL_FAILURES[code];
  if (local) {
    return { class: 'local', message: `${code}: ${local} (${where.stage}); not a fault of the target` };
  }
  if (code === 'ECONNREFUSED') return { class: 'refused', message: `connection refused by ${peer}` };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') {
    return { class: 'reset', message: `connection reset by ${peer} (${where.stage})` };
  }
  if (code === 'ETIMEDOUT') return { class: 'timeout', message: `connecting to ${peer} timed out` };
  const unreachable = code === undefined ? undefined : UNREACHABLE[code];
  if (unreachable) return { class: 'unreachable', message: `no route to ${peer} (${unreachable})` };
  if (code?.startsWith('EAI_') || code === 'ENOTFOUND') {
    return { class: 'dns', message: `DNS lookup failed: ${lookupReason(code)}` };
  }
  if (isTlsCode(code)) {
    return { class: 'tls', message: `TLS handshake with ${peer} failed: ${openSslReason(message)}` };
  }
  if (code?.startsWith('HPE_')) {
    return { class: 'invalid', message: `${peer} did not answer in HTTP/1.1 (${message})` };
  }
  if (code?.startsWith('Z_') || code?.startsWith('ERR_BROTLI')) {
    return { class: 'invalid', message: `the body could not be decoded (${message})` };
  }
  return { class: 'invalid', message: `unexpected error ${where.stage}: ${message}` };
}

/** Why getaddrinfo failed, in words: ENOTFOUND is the common one and means the name does not exist. */
export function lookupReason(code: string | undefined): string {
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_NONAME':
      return 'not found';
    case 'EAI_AGAIN':
      return 'the resolver did not answer (temporary failure)';
    case 'EAI_FAIL':
      return 'the resolver failed';
    case 'EAI_NODATA':
    case 'ENODATA':
      return 'the name has no addresses';
    default:
      return code ?? 'unknown error';
  }
}

export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isTlsCode(code: string | undefined): boolean {
  if (code === undefined) return false;
  return (
    code === 'EPROTO' ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_TLS_') ||
    code.startsWith('CERT_')
  );
}

/** "error:0A00010B:SSL routines::wrong version number" says "wrong version number". */
function openSslReason(message: string): string {
  return /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1]?.trim() ?? message;
}
