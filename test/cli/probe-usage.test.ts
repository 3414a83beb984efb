import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliPath, runCli, spawnCli } from '../helpers/cli.js';
import { useTmpDir } from '../helpers/tmp.js';
import { useServers } from '../probes/servers.js';

const servers = useServers();
const tmp = useTmpDir();

beforeAll(() => {
  if (!existsSync(cliPath)) throw new Error('no built CLI: run `npx tsc -p tsconfig.build.json` first');
});

/** Runs the CLI without blocking this process, which serves the targets. */
const vantage = spawnCli;

describe('vantage probe, as a new user meets it', () => {
  it('takes --timeout in ms', async () => {
    const silent = await servers.tcp(() => {});
    const run = await vantage(['probe', 'http', `http://127.0.0.1:${silent.port}/`, '--timeout', '500ms']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('no answer within 0.5 s (waiting for the first byte) [timeout]');
    // Well under the default 10 s it would otherwise have waited.
    expect(run.ms).toBeLessThan(6_000);
  });

  it("follows a usage mistake with the command's own usage, not the whole help", async () => {
    const run = await vantage(['probe', 'http', 'http://x/', '--timout', '1s']);
    expect(run.code).toBe(2);
    const [first, blank, ...rest] = run.stderr.split('\n');
    expect(first).toBe("vantage probe: unknown option '--timout' (did you mean '--timeout'?)");
    expect(blank).toBe('');
    expect(rest[0]).toBe('Usage:');
    expect(rest[1]).toMatch(/^ {2}vantage probe TYPE TARGET /);
    expect(run.stderr).toContain('--timeout D          give up after D (500ms, 30s, 1m; default 10s)');
    expect(run.stderr).not.toContain('serve [--config');
    expect(run.stderr.split('\n').length).toBeLessThan(25);
  });

  it.each([
    [['--header', 'Bad Name: x'], /^vantage probe: --header: 'Bad Name' is not a header name/],
    [
      ['--header', 'X-Split: a\r\nInjected: yes'],
      /^vantage probe: --header: the value of header 'X-Split' holds a line break/,
    ],
    [['--degraded-ms', '99999999999'], /^vantage probe: --degraded-ms: must be at most 600,000 ms/],
    [['--max-redirects', '1000'], /^vantage probe: --max-redirects: must be at most 20/],
    [['--timeout', '2h'], /^vantage probe: --timeout: must be at most 10m, not 2h/],
    [
      ['--expect-match', '(a)\\1'],
      /^vantage probe: --expect-match: '\(a\)\\1' is not a pattern Vantage can match in linear time/,
    ],
  ])('refuses %j as a usage mistake (exit 2), not a result blaming the system', async (options, message) => {
    const run = await vantage(['probe', 'http', 'http://127.0.0.1:9/', ...options]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('refuses a --ca file that is missing or not PEM before probing', async () => {
    const missing = join(tmp(), 'missing.pem');
    const gone = await vantage(['probe', 'tls', '127.0.0.1:9', '--ca', missing]);
    expect(gone.code).toBe(2);
    expect(gone.stderr.split('\n')[0]).toBe(
      `vantage probe: --ca: cannot read the CA file ${missing}: no such file`,
    );
    const notPem = join(tmp(), 'notes.txt');
    writeFileSync(notPem, 'hello\n');
    const wrong = await vantage(['probe', 'http', 'https://127.0.0.1:9/', '--ca', notPem]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.split('\n')[0]).toBe(
      `vantage probe: --ca: the CA file ${notPem} holds no PEM certificate`,
    );
  });
});

describe('the other commands, as a new user meets them', () => {
  it('an unknown command gets one line and the names of the commands', () => {
    const run = runCli(['serv']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "vantage: unknown command 'serv'\n\nCommands: serve, check-config, probe, token, user, api-token, maintenance, report, agent, survey, help, version. See vantage help.\n",
    );
  });

  it('token create without an estate file says it is missing, not invalid', () => {
    const dir = tmp();
    const run = runCli([
      'token',
      'create',
      '--site',
      'st-annes',
      '--config',
      join(dir, 'vantage.yaml'),
      '--db',
      join(dir, 'v.db'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `vantage token create: there is no estate file ${join(dir, 'vantage.yaml')}: give it with --config FILE; a token is made only for a site it lists\n`,
    );
    expect(existsSync(join(dir, 'v.db'))).toBe(false);
  });

  it('token list and revoke never make a database', () => {
    const dir = tmp();
    const db = join(dir, 'data', 'vantage.db');
    for (const args of [['list'], ['revoke', 'abc123']]) {
      const run = runCli(['token', ...args, '--db', db]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `vantage token ${args[0]}: there is no database at ${db}: give serve's with --db FILE (serve makes it when it first runs)\n`,
      );
      expect(existsSync(db)).toBe(false);
      expect(existsSync(join(dir, 'data'))).toBe(false);
    }
  });

  it('lists --config and --db under survey export in the help', () => {
    const help = runCli(['help']).stdout;
    expect(help).toMatch(/survey export ID \[--by [^\n]*\n +\[--config FILE\] \[--db FILE\]/);
  });
});
