import type { IncomingMessage } from 'node:http';
import { finished, pipeline, type Readable } from 'node:stream';
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
 *
 * Read with listeners rather than `for await`: the async iterator costs a generator, a promise per
 * chunk and its own end-of-stream watcher on every run. The outcome is the same: the first `cap`
 * bytes, the stream's error, or Node's premature-close error when it closes before its end.
 */
export function readBody(response: IncomingMessage, cap: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    const decoder = decoderFor(response.headers['content-encoding']);
    // pipeline carries an error of either stream into the one read here.
    const source: Readable = decoder ? pipeline(response, decoder, () => {}) : response;
    const chunks: Buffer[] = [];
    let kept = 0;
    let settled = false;
    source.on('data', (chunk: Buffer) => {
      if (settled) return;
      const room = cap - kept;
      if (chunk.length > room) {
        settled = true;
        chunks.push(chunk.subarray(0, room));
        source.destroy();
        resolve({ bytes: Buffer.concat(chunks), capped: true });
        return;
      }
      chunks.push(chunk);
      kept += chunk.length;
    });
    source.on('end', () => {
      if (settled) return;
      settled = true;
      resolve({ bytes: Buffer.concat(chunks), capped: false });
    });
    // Stays attached once settled, so an error after the end has a listener.
    source.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    source.on('close', () => {
      if (settled) return;
      // Closed before its end and without an error: finished() names that as the iterator did.
      finished(source, (error) => {
        if (settled) return;
        settled = true;
        reject(error ?? new Error('the body ended early'));
      });
    });
  });
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
