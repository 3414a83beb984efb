import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Clock } from '../../../common/clock.js';
import type { Delivery } from '../message.js';

/** What a receiver answered. Only the start of its body is kept: enough for an error word. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const MAX_ANSWER_BYTES = 16 * 1024;

/**
 * POSTs `body` once and gives the answer, or the failure as a Delivery when there is none. Never
 * follows a redirect (a receiver that moved must be configured anew) and never says the URL: it may
 * hold the key that lets anyone post to the channel.
 */
export function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<HttpAnswer | Extract<Delivery, { ok: false }>> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ ok: false, retryable: false, reason: "the channel's URL is not a URL" });
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const signal = AbortSignal.timeout(timeoutMs);
    const req = send(
      target,
      {
        method: 'POST',
        signal,
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8'),
          }),
        );
        res.on('error', (error) => resolve(networkFailure(error, signal, timeoutMs)));
        // Cut off mid-body (a timeout, a reset): 'end' never comes, 'close' does. After 'end' it changes nothing.
        res.on('close', () =>
          resolve(
            networkFailure(Object.assign(new Error('closed'), { code: 'ECONNRESET' }), signal, timeoutMs),
          ),
        );
      },
    );
    req.on('error', (error) => resolve(networkFailure(error, signal, timeoutMs)));
    req.end(body);
  });
}

/** Says what went wrong in the receiver's own terms, never with its address. */
export function networkFailure(
  error: unknown,
  signal: AbortSignal,
  timeoutMs: number,
): Extract<Delivery, { ok: false }> {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (signal.aborted) return { ok: false, retryable: true, reason: `no answer within ${seconds(timeoutMs)}` };
  if (code === 'ECONNREFUSED') return { ok: false, retryable: true, reason: 'connection refused' };
  if (code === 'ECONNRESET' || code === 'EPIPE' || /hang up/.test(String((error as Error).message)))
    return { ok: false, retryable: true, reason: 'connection reset before an answer' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { ok: false, retryable: true, reason: "the receiver's host name did not resolve" };
  if (/CERT|SELF_SIGNED|ERR_TLS/.test(code))
    return { ok: false, retryable: false, reason: `the receiver's certificate is not trusted (${code})` };
  return { ok: false, retryable: true, reason: `the connection failed (${code || 'unknown error'})` };
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * A receiver's answer as a delivery: 5xx, 408 and 429 are worth another try (after Retry-After when
 * given); any other 4xx will be refused again, so it is given up.
 */
export function deliveryOf(
  answer: HttpAnswer,
  accepted: (answer: HttpAnswer) => boolean,
  clock: Clock,
  receiver: string,
): Delivery {
  if (accepted(answer)) return { ok: true, detail: `${receiver} answered ${answer.status}` };
  const { status } = answer;
  const said = errorWords(answer.body);
  const reason = `${receiver} answered ${status}${said ? ` (${said})` : ''}`;
  const retryable = status >= 500 || status === 408 || status === 429;
  const retryAfterMs = retryable ? retryAfter(answer.headers['retry-after'], clock) : undefined;
  return retryAfterMs === undefined
    ? { ok: false, retryable, reason }
    : { ok: false, retryable, reason, retryAfterMs };
}

/** Retry-After as milliseconds from now: a number of seconds or an HTTP date. */
export function retryAfter(value: string | undefined, clock: Clock): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - clock.now());
}

/** The start of an error body on one line, for the reason; a receiver's HTML page says nothing useful. */
export function errorWords(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  if (text === '' || /^<(!doctype|html)/i.test(text)) return '';
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}
