import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { runCli } from '../helpers/cli.js';
import { smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const HOUR = 3_600_000;

/** The small estate with one window in the file, a year ahead so it never passes while tests run. */
const yaml = smallEstateYaml.concat(`maintenance:
  - { id: epr-upgrade, title: EPR upgrade, cron: "0 22 * * *", duration: 1h, scope: { systems: [epr] } }
`);

function setUp() {
  const config = join(tmp(), 'estate.yaml');
  const db = join(tmp(), 'vantage.db');
  writeFileSync(config, yaml);
  return { config, db, files: ['--config', config, '--db', db] };
}

/**
 * The next Sunday the clocks go back (the last Sunday of October) still ahead of today, as days from it
 * (`change(-1)` is the Saturday before): ad hoc windows may not start in the past.
 */
function change(days = 0): string {
  for (let year = new Date().getUTCFullYear(); ; year++) {
    const last = new Date(Date.UTC(year, 9, 31));
    const sunday = Date.UTC(year, 9, 31 - last.getUTCDay());
    if (sunday - 2 * 24 * HOUR > Date.now())
      return new Date(sunday + days * 24 * HOUR).toISOString().slice(0, 10);
  }
}

/** A time as ISO with Z, to the minute, `hours` from now. */
const hoursOn = (hours: number) =>
  `${new Date(Math.floor(Date.now() / 60_000) * 60_000 + hours * HOUR).toISOString().slice(0, 16)}Z`;

describe('vantage maintenance', () => {
  it('adds, lists and ends an ad hoc window, audited as the CLI user', async () => {
    const { db, files } = setUp();
    // Begun a few minutes ago is allowed; more than 15 is not (see the mistakes).
    const start = hoursOn(-0.1);
    const end = hoursOn(3);
    const added = runCli([
      'maintenance',
      'add',
      '--title',
      'Core switch swap',
      '--start',
      start,
      '--end',
      end,
      '--site',
      'st-annes',
      '--system',
      'epr',
      ...files,
    ]);
    expect(added.code, added.stderr).toBe(0);
    const id = added.stdout.trim();
    expect(id).toMatch(/^ad-hoc-[0-9a-f]{10}$/);

    const listed = runCli(['maintenance', 'list', '--to', hoursOn(5), ...files]);
    expect(listed.code, listed.stderr).toBe(0);
    // The file's daily window and the ad hoc one in one list, and both coming up.
    const [period, coming] = listed.stdout.split('coming up in the next 7 days:');
    expect(period).toContain('epr-upgrade');
    expect(period).toMatch(
      new RegExp(
        `${id}\\s+ad-hoc\\s+${start.replace('Z', ':00Z')} to ${end.replace('Z', ':00Z')}\\s+systems: epr; sites: st-annes\\s+Core switch swap`,
      ),
    );
    expect(coming).toContain(id);
    expect(coming).toContain('epr-upgrade');

    const ended = runCli(['maintenance', 'end', id, ...files]);
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toContain(`maintenance window ${id} ended at`);
    const again = runCli(['maintenance', 'end', id, ...files]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('was already ended');

    const store = SqliteStores.open(db);
    try {
      const row = await store.maintenance.window(id);
      expect(row?.endedBy).toBe(`cli:${userInfo().username}`);
      expect(row?.end).toBe(row?.endedAt);
      expect(Math.abs((row?.end ?? 0) - Date.now())).toBeLessThan(60_000);
      const entries = await store.access.auditLog({ limit: 10 });
      expect(entries.map((e) => [e.action, e.subject, e.actor, e.address])).toEqual([
        ['maintenance-ended', `maintenance:${id}`, `cli:${userInfo().username}`, 'local'],
        ['maintenance-added', `maintenance:${id}`, `cli:${userInfo().username}`, 'local'],
      ]);
      expect(entries[1]?.detail).toMatchObject({ scope: { systems: ['epr'], sites: ['st-annes'] } });
    } finally {
      await store.close();
    }
  });

  it('reads London times across the October change', async () => {
    const { db, files } = setUp();
    const added = runCli([
      'maintenance',
      'add',
      '--title',
      'Night work',
      '--start',
      `${change()}T00:30`,
      '--end',
      `${change()}T01:30`,
      '--check',
      'epr-login',
      ...files,
    ]);
    expect(added.code, added.stderr).toBe(0);
    const store = SqliteStores.open(db);
    try {
      // 00:30 BST is 23:30 UTC; 01:30 (passed twice) the second, GMT one: two hours.
      expect(await store.maintenance.window(added.stdout.trim())).toMatchObject({
        start: Date.parse(`${change(-1)}T23:30Z`),
        end: Date.parse(`${change()}T01:30Z`),
        scope: { checks: ['epr-login'] },
      });
    } finally {
      await store.close();
    }
  });

  it('says what is wrong with each mistake, naming the option, and stores nothing', async () => {
    const { db, files } = setUp();
    // `vantage maintenance add --title x` with these times and options, on this estate and database.
    const adding = (start: string, end: string, ...rest: string[]) => [
      'maintenance',
      'add',
      '--title',
      'x',
      '--start',
      start,
      '--end',
      end,
      ...rest,
      ...files,
    ];
    const cases: [string[], number, string][] = [
      [['maintenance'], 2, 'say add, list or end'],
      [['maintenance', 'ad'], 2, "unknown action 'ad' (did you mean 'add'?)"],
      [['maintenance', 'add', '--title', 'x', ...files], 2, 'give --start, --end'],
      [adding('soon', `${change()}T01:30`, '--system', 'epr'), 1, "--start: 'soon' is not a time"],
      [
        adding(`${change()}T01:30`, `${change()}T00:30`, '--system', 'epr'),
        1,
        `--end: ${change(-1)}T23:30:00.000Z is not after start`,
      ],
      [
        adding(`${change(-5)}T00:00`, `${change(3)}T00:00`, '--system', 'epr'),
        1,
        '--end: an ad hoc window is at most 7 days long',
      ],
      [
        adding(hoursOn(-2), hoursOn(1), '--system', 'epr'),
        1,
        'is more than 15 minutes ago: time already counted is not made maintenance after the fact',
      ],
      [
        adding(`${change()}T00:30`, `${change()}T01:30`, '--sytem', 'epr'),
        2,
        "unknown option '--sytem' (did you mean '--system'?)",
      ],
      [
        adding(`${change()}T00:30`, `${change()}T01:30`, '--site', 'st-anne'),
        1,
        "--site: the estate has no site 'st-anne' (did you mean 'st-annes'?)",
      ],
      [
        adding(`${change()}T00:30`, `${change()}T01:30`),
        1,
        '--system, --site, --check or --tag: a window covers something',
      ],
      [
        [
          'maintenance',
          'add',
          '--title',
          ' ',
          '--start',
          `${change()}T00:30`,
          '--end',
          `${change()}T01:30`,
          '--system',
          'epr',
          ...files,
        ],
        1,
        '--title: must not be empty',
      ],
      [['maintenance', 'list', '--from', 'last week', ...files], 2, "--from 'last week' is not a time"],
      [['maintenance', 'end', ...files], 2, 'give the id of the window'],
      [
        [
          'maintenance',
          'add',
          '--title',
          'x',
          '--start',
          `${change()}T00:30`,
          '--end',
          `${change()}T01:30`,
          '--system',
          'epr',
          '--config',
          join(tmp(), 'none.yaml'),
          '--db',
          db,
        ],
        1,
        'there is no estate file',
      ],
    ];
    for (const [args, code, words] of cases) {
      const run = runCli(args);
      expect(run.code, args.join(' ')).toBe(code);
      expect(run.stderr, args.join(' ')).toContain(words);
    }
    // Nothing was added, so end finds no database yet; with one, the file's window is the file's to change.
    expect(runCli(['maintenance', 'end', 'epr-upgrade', ...files]).stderr).toContain('there is no database');
    runCli([
      'maintenance',
      'add',
      '--title',
      'x',
      '--start',
      hoursOn(1),
      '--end',
      hoursOn(2),
      '--system',
      'epr',
      ...files,
    ]);
    const file = runCli(['maintenance', 'end', 'epr-upgrade', ...files]);
    expect(file.code).toBe(1);
    expect(file.stderr).toContain('is in the estate file');
    const unknown = runCli(['maintenance', 'end', 'nope', ...files]);
    expect(unknown.stderr).toContain("no ad hoc maintenance window 'nope'");
    const store = SqliteStores.open(db);
    try {
      expect(await store.maintenance.overlapping(0, Date.UTC(2100, 0, 1))).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
