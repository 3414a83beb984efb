import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { OUTAGE } from '../../server/demo/behaviour.js';
import { apiTokenIn } from '../helpers/as-admin.js';
import { runCli, type ServerProcess, startCliServer } from '../helpers/cli.js';
import { demoFile, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const running: ServerProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop('SIGKILL')));
});

/** A viewer's API token for each server, made in its database: the API answers no one else. */
const viewers = new WeakMap<ServerProcess, { authorization: string }>();

async function serve(args: string[]): Promise<ServerProcess> {
  const server = await startCliServer(args);
  running.push(server);
  const db = args[args.indexOf('--db') + 1];
  if (args.includes('--db') && db) viewers.set(server, await apiTokenIn(db, 'viewer'));
  return server;
}

async function estateOf(server: ServerProcess) {
  const response = await fetch(new URL('/api/v1/estate', server.url), {
    headers: await server.adminHeaders(),
  });
  return (await response.json()) as { checks: { id: string }[]; sites: { id: string; name: string }[] };
}

describe('vantage check-config', () => {
  it('exits 0 and summarises a valid file', () => {
    const result = runCli(['check-config', demoFile]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/valid \(7 organisations, 12 sites, 8 systems, 15 checks/);
  });

  it('exits 1 and prints every error as FILE:LINE:COL: message', () => {
    const file = join(tmp(), 'bad.yaml');
    writeFileSync(
      file,
      smallEstateYaml.replace('every: 1m', 'every: 5 minutes').replace('host: riverside', 'host: rivreside'),
    );
    const result = runCli(['check-config', file]);
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      `${file}:5:53: site 'st-annes' field 'host': unknown organisation 'rivreside' (did you mean 'riverside'?)`,
      `${file}:14:12: check 'epr-login' field 'every': invalid duration '5 minutes': use a whole number above zero followed by ms, s, m, h or d (500ms, 30s, 5m, 2h, 1d)`,
    ]);
  });

  it('exits 1 for a missing file and 2 for a usage mistake', () => {
    const missing = runCli(['check-config', join(tmp(), 'nope.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/nope\.yaml:1:1: cannot read the estate file: no such file/);
    const usage = runCli(['check-config']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/name the estate file/);
    const typo = runCli(['serve', '--prot', '80']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown option '--prot' \(did you mean '--port'\?\)/);
    const token = `vat_00000000_${'x'.repeat(43)}`;
    const backoff = runCli([
      'agent',
      '--server',
      'http://127.0.0.1:1',
      '--token',
      token,
      '--max-backoff',
      '0s',
    ]);
    expect(backoff.code).toBe(2);
    expect(backoff.stderr).toMatch(/--max-backoff is a duration such as 30s or 2m, not '0s'/);
    const tooLong = runCli([
      'agent',
      '--server',
      'http://127.0.0.1:1',
      '--token',
      token,
      '--max-backoff',
      '2h',
    ]);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toMatch(/--max-backoff is at most 1h/);
  });
});

describe('vantage serve', () => {
  it('reloads the estate on SIGHUP, keeps it when the new file is invalid, and stops cleanly on SIGTERM', async () => {
    const config = join(tmp(), 'estate.yaml');
    const db = join(tmp(), 'vantage.db');
    writeFileSync(config, smallEstateYaml);
    const server = await serve(['--config', config, '--db', db]);
    expect((await estateOf(server)).checks.map((c) => c.id)).toEqual(['epr-login']);

    const added = `${smallEstateYaml}  - { id: epr-tls, system: epr, type: tls, target: epr.example.org }\n`;
    writeFileSync(config, added.replace("St Anne's Hospital", "St Anne's University Hospital"));
    server.child.kill('SIGHUP');
    const reloaded = await until(
      () => estateOf(server),
      (e) => e.checks.length === 2,
    );
    expect(reloaded.checks.map((c) => c.id)).toEqual(['epr-login', 'epr-tls']);
    expect(reloaded.sites[0]?.name).toBe("St Anne's University Hospital");

    writeFileSync(config, added.replace('every: 1m', 'every: often'));
    server.child.kill('SIGHUP');
    await until(
      async () => server.stderr(),
      (text) => text.includes('keeping the running estate') && text.includes('invalid duration'),
    );
    expect(server.stderr()).toMatch(
      /estate\.yaml:14:12: check 'epr-login' field 'every': invalid duration 'often'/,
    );
    expect((await estateOf(server)).checks.map((c) => c.id)).toEqual(['epr-login', 'epr-tls']);

    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.stderr()).toMatch(/shutting down signal=SIGTERM/);
    const after = new Database(db, { readonly: true });
    expect(after.prepare('SELECT id FROM checks ORDER BY key').pluck().all()).toEqual([
      'epr-login',
      'epr-tls',
    ]);
    after.close();
  });

  it('refuses to start with an invalid estate file, printing where it is wrong', () => {
    const config = join(tmp(), 'estate.yaml');
    writeFileSync(config, smallEstateYaml.replace('type: http', 'type: icmpp'));
    const result = runCli(['serve', '--config', config, '--db', join(tmp(), 'v.db'), '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${config}:12:11: check 'epr-login' field 'type': unknown type 'icmpp'`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a database from a newer Vantage, leaving it as it was', () => {
    const config = join(tmp(), 'estate.yaml');
    writeFileSync(config, smallEstateYaml);
    const dbFile = join(tmp(), 'newer.db');
    const db = new Database(dbFile);
    db.pragma('user_version = 999');
    db.close();
    const before = readFileSync(dbFile);
    const result = runCli(['serve', '--config', config, '--db', dbFile, '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/written by a newer Vantage \(schema version 999/);
    expect(readFileSync(dbFile).equals(before)).toBe(true);
  });

  it('says so when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const config = join(tmp(), 'estate.yaml');
    writeFileSync(config, smallEstateYaml);
    const result = runCli(['serve', '--config', config, '--db', join(tmp(), 'v.db'), '--port', String(port)]);
    blocker.close();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
  });
});

describe('vantage serve --demo', () => {
  it('serves the demo estate with simulated systems that answer every check target', async () => {
    const server = await serve(['--demo', '--db', join(tmp(), 'demo.db')]);
    const estate = (await (
      await fetch(new URL('/api/v1/estate', server.url), { headers: await server.adminHeaders() })
    ).json()) as {
      organisations: unknown[];
      sites: unknown[];
      checks: {
        id: string;
        type: string;
        target: string;
        expect?: { status?: number[]; bodyContains?: string };
      }[];
    };
    expect(estate.organisations.length).toBeGreaterThanOrEqual(6);
    expect(estate.sites.length).toBeGreaterThanOrEqual(10);
    // The demo estate's targets take the simulated systems' address from ${VANTAGE_DEMO_TARGETS}, so
    // the API shows them by that reference; the address itself is in the log.
    const address = /demo targets listening address=(\S+)/.exec(server.stderr())?.[1] ?? '';
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    for (const check of estate.checks) {
      expect(check.target, check.id).toMatch(/^(http:\/\/)?\$\{VANTAGE_DEMO_TARGETS\}/);
      if (check.type !== 'http') continue;
      const response = await fetch(check.target.replace('${VANTAGE_DEMO_TARGETS}', address));
      const body = await response.text();
      // Case management is down on purpose for one minute in thirty.
      if (check.target.includes(`/${OUTAGE.system}/`) && response.status === 503) continue;
      expect(response.status, check.id).toBe(200);
      if (check.expect?.bodyContains) expect(body, check.id).toContain(check.expect.bodyContains);
    }
  });
});

describe('vantage serve --demo, its simulated history', () => {
  it('writes 13 months of history in the background once, so last month has figures at once', async () => {
    const db = join(tmp(), 'demo.db');
    const started = Date.now();
    const server = await serve(['--demo', '--db', db]);
    const listening = Date.now() - started;
    const log = await until(
      async () => server.stderr(),
      (text) => /demo history generated/.test(text),
      120_000,
    );
    const line = /demo history generated .*ms=(\d+) cpuMs=(\d+)/.exec(log);
    expect(line, log).not.toBeNull();
    console.log(
      `serve --demo: listening after ${listening} ms; history written in ${line?.[1]} ms (${line?.[2]} ms of CPU)`,
    );
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15))
      .toISOString()
      .slice(0, 7);
    const answer = (await (
      await fetch(new URL(`/api/v1/principles/epr-available/compliance?period=${lastMonth}`, server.url), {
        headers: await server.adminHeaders(),
      })
    ).json()) as { status: string; simulated?: { from: string; to: string } };
    expect(['met', 'at-risk', 'breached']).toContain(answer.status);
    expect(answer.simulated).toBeDefined();
    await server.stop();
    const again = await serve(['--demo', '--db', db]);
    await until(
      async () => again.stderr(),
      (text) => /demo history already in the database/.test(text),
    );
    expect(again.stderr()).toContain('demo history already in the database');
    expect(again.stderr()).not.toContain('demo history generated');
  }, 180_000);
});
