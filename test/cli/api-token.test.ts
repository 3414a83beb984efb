import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { tokenParts } from '../helpers/as-admin.js';
import { cliPath } from '../helpers/cli.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

function vantage(args: string[]) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('vantage api-token', { timeout: 120_000 }, () => {
  it('prints a token once, which the API and /metrics take until it is revoked; lists it without its secret', async () => {
    const dir = tmp();
    const config = join(dir, 'estate.yaml');
    const db = join(dir, 'vantage.db');
    writeFileSync(config, smallEstateYaml);
    const where = ['--config', config, '--db', db];

    const made = vantage(['api-token', 'create', '--role', 'viewer', '--label', 'Prometheus', ...where]);
    expect(made.code, made.stderr).toBe(0);
    const token = made.stdout.trim();
    expect(made.stdout).toMatch(/^vap_[0-9a-f]{8}_[A-Za-z0-9_-]{43}\n$/);
    expect(made.stderr).toContain('It is shown once');
    expect(made.stderr).toContain('credentials_file: /etc/prometheus/vantage-token');
    expect(made.stderr).not.toContain(token);
    const id = tokenParts(token).id;
    const partner = vantage([
      'api-token',
      'create',
      '--role',
      'partner',
      '--organisation',
      'eastfield',
      ...where,
    ]);
    expect(partner.code, partner.stderr).toBe(0);

    const store = SqliteStores.open(db);
    try {
      const estate = estateFrom(smallEstateYaml);
      await store.estate.syncEstate(estate, Date.now());
      const app = createApp({
        store,
        clock: { now: () => Date.now() },
        logger: silentLogger,
        estate: () => estate,
        metrics: new Registry(),
      });
      const bearer = { Authorization: `Bearer ${token}` };
      expect((await request(app).get('/metrics')).status).toBe(401);
      expect((await request(app).get('/metrics').set(bearer)).status).toBe(200);
      expect((await request(app).get('/api/v1/checks').set(bearer)).status).toBe(200);

      const list = vantage(['api-token', 'list', ...where]);
      expect(list.code).toBe(0);
      const lines = list.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^ID\s+ROLE\s+ORGANISATIONS\s+STATE\s+CREATED\s+LAST USED\s+LABEL$/);
      expect(lines.find((l) => l.startsWith(id))).toMatch(
        new RegExp(`^${id}\\s+viewer\\s+-\\s+live\\s+\\S+Z\\s+\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+Prometheus$`),
      );
      expect(lines.some((l) => /partner\s+eastfield\s+live\s+\S+Z\s+never/.test(l))).toBe(true);
      expect(list.stdout).not.toContain(tokenParts(token).secret);

      const revoked = vantage(['api-token', 'revoke', id, ...where]);
      expect(revoked.stdout).toBe(`API token ${id} revoked: the server refuses it from now on\n`);
      const refused = await request(app).get('/api/v1/checks').set(bearer);
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toBe('this API token has been revoked');
      expect(vantage(['api-token', 'revoke', id, ...where]).stdout).toContain('was already revoked');

      const log = await store.access.auditLog({ limit: 10 });
      expect(log.map((e) => [e.action, e.subject, e.address])).toEqual([
        ['api-token-revoked', id, 'local'],
        ['api-token-created', expect.stringMatching(/^[0-9a-f]{8}$/), 'local'],
        ['api-token-created', id, 'local'],
      ]);
      expect(JSON.stringify(log)).not.toContain(tokenParts(token).secret);
    } finally {
      await store.close();
    }
  });

  it('refuses mistakes with one clear line', () => {
    const dir = tmp();
    const config = join(dir, 'estate.yaml');
    writeFileSync(config, smallEstateYaml);
    const where = ['--config', config, '--db', join(dir, 'vantage.db')];
    expect(vantage(['api-token', 'create', '--role', 'admin', ...where]).code).toBe(0);
    const cases: [string[], number, string][] = [
      [['api-token', 'create'], 2, 'give the role: --role admin|partner|viewer'],
      [['api-token', 'create', '--role', 'viewr'], 2, "there is no role 'viewr' (did you mean 'viewer'?)"],
      [['api-token', 'create', '--role', 'partner'], 2, 'a partner acts for at least one organisation'],
      [
        ['api-token', 'create', '--role', 'partner', '--organisation', 'eastfeld'],
        1,
        "no organisation 'eastfeld' in",
      ],
      [['api-token', 'revoke', 'deadbeef'], 1, "no API token with id 'deadbeef'"],
      [['api-token', 'revoke'], 2, 'give the id of the token'],
    ];
    for (const [args, code, message] of cases) {
      const run = vantage([...args, ...where]);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(code);
      expect(run.stderr).toContain(message);
      expect(run.stdout).toBe('');
    }
  });
});
