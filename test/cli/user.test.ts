import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { cliPath } from '../helpers/cli.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { formPass, sessionCookieOf } from '../helpers/forms.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const PASSWORD = 'four words make a password';

/** Runs the built `vantage` with `input` on its standard input (a pipe, not a terminal). */
function vantage(args: string[], input = '') {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    input,
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs the built `vantage` at a terminal (util-linux `script` gives it one), typing each answer once
 * its prompt has been shown, as a person would.
 */
function atTerminal(args: string[], answers: string[]): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, cliPath, ...args]
    .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
    .join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let asked = 0;
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    const prompts = output.match(/password[^:\n]*: /gi)?.length ?? 0;
    while (asked < prompts && asked < answers.length) child.stdin.write(`${answers[asked++]}\r`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, output });
    }),
  );
}

function files() {
  const dir = tmp();
  const config = join(dir, 'estate.yaml');
  writeFileSync(config, smallEstateYaml);
  return {
    config,
    db: join(dir, 'vantage.db'),
    where: ['--config', config, '--db', join(dir, 'vantage.db')],
  };
}

// Each case runs the built command, a second or two on a busy machine.
describe('vantage user', { timeout: 120_000 }, () => {
  it('adds the first administrator with the password from standard input, lists and audits it', () => {
    const { db, where } = files();
    const added = vantage(
      ['user', 'add', 'cio@nhs.net', '--role', 'admin', '--name', 'Chief Information Officer', ...where],
      `${PASSWORD}\nignored second line\n`,
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toBe('user cio@nhs.net added as admin: they can sign in now\n');
    const partner = vantage(
      [
        'user',
        'add',
        'it@riverside.nhs.uk',
        '--role',
        'partner',
        '--organisation',
        'riverside',
        '--organisation',
        'eastfield',
        ...where,
      ],
      PASSWORD,
    );
    expect(partner.code, partner.stderr).toBe(0);
    const list = vantage(['user', 'list', ...where]);
    expect(list.stdout.split('\n')).toEqual([
      'EMAIL                ROLE     ORGANISATIONS        SOURCE  LAST SIGN-IN',
      'cio@nhs.net          admin    -                    local   never',
      'it@riverside.nhs.uk  partner  riverside,eastfield  local   never',
      '',
    ]);
    const rows = new Database(db, { readonly: true });
    const stored = rows.prepare('SELECT name, password_hash FROM users ORDER BY email').all() as {
      name: string;
      password_hash: string;
    }[];
    const audit = rows
      .prepare('SELECT actor, action, subject, address, detail FROM audit_log ORDER BY seq')
      .all();
    rows.close();
    expect(stored[0]?.name).toBe('Chief Information Officer');
    expect(stored[1]?.name).toBe('it');
    expect(stored[0]?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(audit).toEqual([
      {
        actor: expect.stringMatching(/^cli:.+/),
        action: 'user-added',
        subject: 'cio@nhs.net',
        address: 'local',
        detail: JSON.stringify({ role: 'admin', organisations: [], source: 'local' }),
      },
      expect.objectContaining({ action: 'user-added', subject: 'it@riverside.nhs.uk' }),
    ]);
    for (const text of [added.stdout, added.stderr, list.stdout, JSON.stringify(audit)]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(stored[0]?.password_hash);
    }
  });

  it.skipIf(!existsSync('/usr/bin/script'))(
    'asks for the password twice at a terminal, without showing it, and refuses two that differ',
    async () => {
      const { db, where } = files();
      const typed = await atTerminal(
        ['user', 'add', 'cio@nhs.net', '--role', 'admin', ...where],
        [PASSWORD, PASSWORD],
      );
      expect(typed.output).toContain('New password: ');
      expect(typed.output).toContain('The same password again: ');
      expect(typed.output).toContain('user cio@nhs.net added as admin');
      expect(typed.output).not.toContain(PASSWORD);
      expect(typed.code).toBe(0);
      const differ = await atTerminal(
        ['user', 'password', 'cio@nhs.net', ...where],
        [PASSWORD, `${PASSWORD}s`],
      );
      expect(differ.output).toContain('the two passwords are not the same: nothing was changed');
      expect(differ.code).toBe(1);
      const read = new Database(db, { readonly: true });
      expect(read.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(1);
      read.close();
    },
  );

  it('says what is wrong with each mistake, in one line, and changes nothing', () => {
    const { db, where } = files();
    expect(vantage(['user', 'add', 'cio@nhs.net', '--role', 'admin', ...where], PASSWORD).code).toBe(0);
    const cases: [string[], string, number, string][] = [
      [
        ['user', 'add', 'a@nhs.net', '--role', 'admn'],
        PASSWORD,
        2,
        "there is no role 'admn' (did you mean 'admin'?)",
      ],
      [
        ['user', 'add', 'a@nhs.net', '--role', 'partner'],
        PASSWORD,
        2,
        'a partner acts for at least one organisation: give --organisation ORG',
      ],
      [
        ['user', 'add', 'a@nhs.net', '--role', 'viewer', '--organisation', 'riverside'],
        PASSWORD,
        2,
        'only a partner has organisations',
      ],
      [
        ['user', 'add', 'a@nhs.net', '--role', 'partner', '--organisation', 'riversde'],
        PASSWORD,
        1,
        "no organisation 'riversde' in",
      ],
      [
        ['user', 'add', 'a@nhs.net', '--role', 'admin', '--password', PASSWORD],
        '',
        2,
        'a password is never taken as an argument',
      ],
      [
        ['user', 'add', 'a@nhs.net', '--role', 'admin', `--password=${PASSWORD}`],
        '',
        2,
        'a password is never taken as an argument',
      ],
      [
        ['user', 'password', 'cio@nhs.net', '--password', PASSWORD],
        '',
        2,
        'a password is never taken as an argument',
      ],
      [['user', 'add', 'a@nhs.net', '--role', 'admin'], '', 1, 'no password on standard input'],
      [['user', 'add', 'a@nhs.net', '--role', 'admin'], '\n', 1, 'no password on standard input'],
      [
        ['user', 'add', 'a@nhs.net', '--role', 'admin'],
        'too short',
        1,
        'the password is 9 characters: it must be at least 12',
      ],
      [
        ['user', 'add', 'CIO@nhs.net', '--role', 'viewer'],
        PASSWORD,
        1,
        'there is already a user cio@nhs.net (local, admin)',
      ],
      [
        ['user', 'add', 'not-an-address', '--role', 'admin'],
        PASSWORD,
        2,
        "'not-an-address' is not an email address",
      ],
      [
        ['user', 'remove', 'nobody@nhs.net'],
        '',
        1,
        'there is no user nobody@nhs.net (see vantage user list)',
      ],
      [['user', 'role', 'nobody@nhs.net', '--role', 'viewer'], '', 1, 'there is no user nobody@nhs.net'],
      [['user', 'frobnicate'], '', 2, "unknown action 'frobnicate'"],
    ];
    for (const [args, input, code, message] of cases) {
      const run = vantage([...args, ...where], input);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(code);
      expect(run.stderr, args.join(' ')).toContain(message);
      expect(run.stderr).not.toContain('    at '); // no stack trace
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toContain(PASSWORD);
    }
    const rows = new Database(db, { readonly: true });
    expect(rows.prepare('SELECT email, role FROM users').all()).toEqual([
      { email: 'cio@nhs.net', role: 'admin' },
    ]);
    rows.close();
    // list and remove never make a database.
    const missing = vantage(['user', 'list', '--db', join(tmp(), 'none.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('there is no database at');
  });

  it('ends the sessions of a user at once when their role, their password changes or they are removed', async () => {
    const { db, where } = files();
    for (const email of ['a@nhs.net', 'b@nhs.net', 'c@nhs.net'])
      expect(vantage(['user', 'add', email, '--role', 'viewer', ...where], PASSWORD).code).toBe(0);
    // The server holds the same database file as the commands, as a running `vantage serve` does.
    const store = SqliteStores.open(db);
    try {
      const estate = estateFrom(smallEstateYaml);
      await store.estate.syncEstate(estate, Date.now());
      const app = createApp({
        store,
        clock: { now: () => Date.now() },
        logger: silentLogger,
        estate: () => estate,
      });
      const signIn = async (email: string) => {
        const pass = await formPass(app);
        const res = await request(app)
          .post('/sign-in')
          .set('Cookie', pass.cookie)
          .type('form')
          .send({ _csrf: pass.csrf, email, password: PASSWORD });
        expect(res.status, res.text).toBe(303);
        return sessionCookieOf(res);
      };
      const checks = (cookie: string) => request(app).get('/api/v1/checks').set('Cookie', cookie);
      const a = await signIn('a@nhs.net');
      const b = await signIn('b@nhs.net');
      const c = await signIn('c@nhs.net');
      for (const cookie of [a, b, c]) expect((await checks(cookie)).status).toBe(200);

      const role = vantage([
        'user',
        'role',
        'a@nhs.net',
        '--role',
        'partner',
        '--organisation',
        'riverside',
        ...where,
      ]);
      expect(role.stdout).toBe('user a@nhs.net is now partner for riverside; 1 session ended\n');
      expect((await checks(a)).status).toBe(401);
      const removed = vantage(['user', 'remove', 'b@nhs.net', ...where]);
      expect(removed.stdout).toBe('user b@nhs.net removed; 1 session ended\n');
      expect((await checks(b)).status).toBe(401);
      const NEW = 'another four word password';
      const password = vantage(['user', 'password', 'c@nhs.net', ...where], `${NEW}\n`);
      expect(password.stdout).toBe('password of c@nhs.net changed; 1 session ended\n');
      expect((await checks(c)).status).toBe(401);
      // The old password no longer signs in.
      await signIn('c@nhs.net').then(
        () => expect.unreachable('the old password still signs in'),
        () => undefined,
      );
      expect(await store.access.userByEmail('a@nhs.net')).toMatchObject({
        role: 'partner',
        organisations: ['riverside'],
      });
      const log = await store.access.auditLog({ limit: 20 });
      expect(
        log
          .filter((e) => e.actor.startsWith('cli:'))
          .map((e) => e.action)
          .slice(0, 3),
      ).toEqual(['password-changed', 'user-removed', 'role-changed']);
    } finally {
      await store.close();
    }
  });
});
