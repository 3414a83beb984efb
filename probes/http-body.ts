import type { IncomingMessage } from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import { constants, createBrotliDecompress, createUnzip } from 'node:zlib';
import { ProbeFailure } from './failure.js';

export interface Body {
  /** The decoded body, at most the cap. */
  bytes: Buffer;
  /** True when the body went on past the cap and reading stopped there. */
  capped: boolean;
}

/**
 * Reads and decodes a response body up to `cap` decoded bytes, then stops; the caller destroys the
 * connection. Capping the decoded size, not the wire size, also bounds a compressed bomb.
 */
export async function readBody(response: IncomingMessage, cap: number): Promise<Body> {
  const decoder = decoderFor(response.headers['content-encoding']);
  // pipeline carries an error of either stream into the one read here.
  const source: Readable = decoder ? pipeline(response, decoder, () => {}) : response;
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    const room = cap - kept;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      source.destroy();
      return { bytes: Buffer.concat(chunks), capped: true };
    }
    chunks.push(chunk);
    kept += chunk.length;
  }
  return { bytes: Buffer.concat(chunks), capped: false };
}

/** Decoders for what the probe offers in accept-encoding. Sync flush accepts a truncated stream, as browsers do. */
function decoderFor(encoding: string | undefined) {
  const coding = encoding?.trim().toLowerCase();
  if (coding === undefined || coding === '' || coding === 'identity') return undefined;
  if (coding === 'gzip' || coding === 'x-gzip' || coding === 'deflate') {
    // Unzip reads both gzip and zlib-wrapped deflate, which is what "deflate" means in HTTP.
    return createUnzip({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH });
  }
  if (coding === 'br') {
    return createBrotliDecompress({
      flush: constants.BROTLI_OPERATION_FLUSH,
      finishFlush: constants.BROTLI_OPERATION_FLUSH,
    });
  }
  throw new ProbeFailure('invalid', `the body is encoded as '${encoding}', which was not asked for`);
}
