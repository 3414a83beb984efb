import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { tokenParts } from '../helpers/as-admin.js';
import { runCli } from '../helpers/cli.js';
import { smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

describe('vantage token', () => {
  it("records who made and revoked an agent's token in the audit log, never the token", async () => {
    const config = join(tmp(), 'estate.yaml');
    const db = join(tmp(), 'vantage.db');
    writeFileSync(config, smallEstateYaml);
    const made = runCli(['token', 'create', '--site', 'st-annes', '--config', config, '--db', db]);
    expect(made.code, made.stderr).toBe(0);
    const token = made.stdout.trim();
    const id = tokenParts(token).id;
    expect(runCli(['token', 'revoke', id, '--db', db]).code).toBe(0);

    const store = SqliteStores.open(db);
    try {
      const entries = await store.access.auditLog({ limit: 10 });
      expect(entries.map((e) => [e.action, e.subject, e.actor, e.address, e.detail])).toEqual([
        ['agent-token-revoked', id, `cli:${userInfo().username}`, 'local', { site: 'st-annes' }],
        ['agent-token-created', id, `cli:${userInfo().username}`, 'local', { site: 'st-annes', label: null }],
      ]);
      expect(JSON.stringify(entries)).not.toContain(tokenParts(token).secret);
    } finally {
      await store.close();
    }
  });
});
