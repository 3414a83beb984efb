import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { streamLogger } from '../../common/logger.js';

/** Values an estate takes from its environment: each must be used by probes and shown nowhere. */
export const SECRETS = {
  PATH_KEY: 'pathsecret-7f3a91',
  QUERY_KEY: 'querysecret-91bc44',
  HEADER_TOKEN: 'headersecret-c0de55',
  BODY_SECRET: 'bodysecret-5eed66',
  EXPECT_TEXT: 'expectsecret-ab1277',
  ABSENT_TEXT: 'absentsecret-77aa88',
} as const;

export const secretValues = Object.values(SECRETS);

/** The secrets found in a text (none, for a text that may be shown, logged or stored). */
export function secretsIn(text: string): string[] {
  return secretValues.filter((value) => text.includes(value));
}

/** The same, in a file's bytes and its -wal and -shm beside it, as SQLite left them. */
export function secretsInFiles(file: string): string[] {
  const found = new Set<string>();
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(path)) continue;
    const bytes = readFileSync(path);
    for (const value of secretValues) if (bytes.includes(Buffer.from(value, 'utf8'))) found.add(value);
  }
  return [...found];
}

export interface SeenRequest {
  method: string;
  url: string;
  apiKey: string | undefined;
  body: string;
}

/**
 * A system on 127.0.0.1 that lets in only a request carrying every secret in its place (path,
 * query, header, body), and then says the expected text: a probe passes only with the real values.
 */
export async function guardedSystem(): Promise<{
  address: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const apiKey = req.headers['x-api-key'];
      seen.push({ method: req.method ?? '', url: req.url ?? '', apiKey: apiKey as string | undefined, body });
      const allowed =
        req.url === `/login/${SECRETS.PATH_KEY}?key=${SECRETS.QUERY_KEY}` &&
        apiKey === SECRETS.HEADER_TOKEN &&
        body === SECRETS.BODY_SECRET;
      res
        .writeHead(allowed ? 200 : 403, { 'content-type': 'text/plain' })
        .end(allowed ? `Welcome: ${SECRETS.EXPECT_TEXT}\n` : 'Forbidden\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A check with a secret in each of its places; the estate file writes each as ${NAME}. */
export function guardedCheck(id: string, address: string, extra: string[] = [], expectText = 'EXPECT_TEXT') {
  return [
    `  - id: ${id}`,
    '    system: epr',
    '    type: http',
    `    target: "http://${address}/login/\${PATH_KEY}?key=\${QUERY_KEY}"`,
    '    cron: "* * * * * *"',
    '    timeout: 2s',
    '    method: POST',
    '    headers: { X-Api-Key: "${HEADER_TOKEN}" }',
    '    body: "${BODY_SECRET}"',
    `    expect: { status: [200], bodyContains: "\${${expectText}}" }`,
    ...extra.map((line) => `    ${line}`),
  ].join('\n');
}

export const estateHead = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
systems:
  - { id: epr, name: Riverside EPR, owner: riverside }
checks:
`;

/** A logger that writes its lines as `vantage serve` does, kept for reading. */
export function capturedLogger() {
  const lines: string[] = [];
  return { lines, logger: streamLogger((line) => lines.push(line)) };
}
