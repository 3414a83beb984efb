import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { gzipSync } from 'node:zlib';

export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON when it is JSON, else its text. */
  body: unknown;
}

export interface ClientOptions {
  /** The server's base URL, e.g. https://vantage.example.org */
  server: string;
  token: string;
  /** PEM of a CA to trust for an https server. */
  ca?: string | Buffer;
  /** Abandon a request after this long. */
  timeoutMs?: number;
}

/**
 * The agent's one way out: requests to the central server with the agent's token, over a kept-alive
 * connection. Errors of the network come back as rejections; any HTTP status comes back as a response.
 */
export class ServerClient {
  readonly #base: URL;
  readonly #options: ClientOptions;
  readonly #agent: http.Agent;

  constructor(options: ClientOptions) {
    this.#options = options;
    this.#base = new URL(options.server.endsWith('/') ? options.server : `${options.server}/`);
    if (this.#base.protocol !== 'http:' && this.#base.protocol !== 'https:') {
      throw new Error(`the server must be an http:// or https:// URL, not '${options.server}'`);
    }
    this.#agent =
      this.#base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, maxSockets: 2, ...(options.ca ? { ca: options.ca } : {}) })
        : new http.Agent({ keepAlive: true, maxSockets: 2 });
  }

  get server(): string {
    return this.#base.origin;
  }

  request(
    method: 'GET' | 'POST',
    path: string,
    options: {
      json?: unknown;
      /** A body already written as JSON, sent as it is. */
      jsonText?: string;
      gzip?: boolean;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    const url = new URL(path.replace(/^\//, ''), this.#base);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.#options.token}`,
      Accept: 'application/json',
      ...options.headers,
    };
    const json = options.jsonText ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
    let payload: Buffer | undefined;
    if (json !== undefined) {
      const text = Buffer.from(json);
      payload = options.gzip ? gzipSync(text) : text;
      headers['Content-Type'] = 'application/json';
      if (options.gzip) headers['Content-Encoding'] = 'gzip';
      headers['Content-Length'] = String(payload.length);
    }
    return this.#send(url, method, headers, payload, true);
  }

  #send(
    url: URL,
    method: string,
    headers: Record<string, string>,
    payload: Buffer | undefined,
    mayRetry: boolean,
  ): Promise<Response> {
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(url, { method, headers, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if ((res.headers['content-type'] ?? '').includes('json') && text) {
            try {
              body = JSON.parse(text);
            } catch {
              body = text;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      });
      req.setTimeout(this.#options.timeoutMs ?? 30_000, () =>
        req.destroy(
          new Error(
            `no answer from ${this.#base.origin} within ${(this.#options.timeoutMs ?? 30_000) / 1000} s`,
          ),
        ),
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed, idle, just as this request went out on it: the
        // server never saw the request, so it goes once more on a new connection. Every request of
        // an agent may be sent twice (a batch's runs are stored once by their ids).
        if (
          mayRetry &&
          req.reusedSocket &&
          (error.code === 'ECONNRESET' || error.message === 'socket hang up')
        ) {
          resolve(this.#send(url, method, headers, payload, false));
        } else reject(error);
      });
      req.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** The server's own error message, when it sent one. */
export function errorMessage(response: Response): string {
  const error = (response.body as { error?: { message?: string } } | null)?.error;
  return error?.message ?? `HTTP ${response.status}`;
}
