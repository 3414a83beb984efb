import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { runCli } from '../helpers/cli.js';
import { smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

async function setUp() {
  const config = join(tmp(), 'estate.yaml');
  const db = join(tmp(), 'vantage.db');
  writeFileSync(
    config,
    `${smallEstateYaml}principles:\n  - { id: epr-available, title: EPR available, metric: availability, target: 99.9%, hours: core, scope: { systems: [epr] } }\n`,
  );
  // As serve leaves it: migrated, the estate stored.
  await SqliteStores.open(db).close();
  return { db, files: ['--config', config, '--db', db] };
}

/** The month before this one and this one, as periods (London and UTC agree but for an hour at the edges). */
const now = new Date();
const month = (offset: number) => {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 15));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

describe('vantage report', () => {
  it('makes, lists, shows, exports and reissues a report, audited as the CLI user', {
    timeout: 60_000,
  }, async () => {
    const { db, files } = await setUp();
    const period = month(-1);
    const made = runCli(['report', 'create', 'month', period, ...files]);
    expect(made.stderr).toMatch(new RegExp(`^report ${period} made: sha256:[0-9a-f]{64}\\n$`));
    expect([made.code, made.stdout]).toEqual([0, `${period}\n`]);

    const listed = runCli(['report', 'list', ...files]);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(
      /^ID\s+KIND\s+PERIOD\s+VERSION\s+REPLACES\s+MADE \(UTC\)\s+BY\s+HASH$/,
    );
    expect(listed.stdout.split('\n')[1]).toContain(`${period}  month  ${period}`);

    const shown = runCli(['report', 'show', period, ...files]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`Report ${period}: month ${period}\n`);
    expect(shown.stdout).toContain(`  made        `);
    expect(shown.stdout).toContain(`by cli:${userInfo().username}\n`);
    // The small estate's principle has no runs at all.
    expect(shown.stdout).toContain('Principles: 0 met, 0 at risk, 0 breached, 1 no data, 0 not evaluated\n');
    expect(shown.stdout).toContain('The biggest gaps: none\n');

    const stored = await (async () => {
      const store = SqliteStores.open(db);
      try {
        return (await store.reports.report(period))?.body;
      } finally {
        await store.close();
      }
    })();
    const json = runCli(['report', 'export', period, ...files]);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(stored);

    const csv = runCli(['report', 'export', period, '--format', 'csv', '--table', 'principles', ...files]);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'principle,title,metric,target,unit,status,value,previous_status,previous_value,message',
    );
    const zip = join(tmp(), 'report.zip');
    const zipped = runCli(['report', 'export', period, '--format', 'csv', '--out', zip, ...files]);
    expect([zipped.code, zipped.stderr]).toEqual([0, `report ${period} written to ${zip}\n`]);
    expect(execFileSync('unzip', ['-p', zip, 'principles.csv'], { encoding: 'utf8' })).toBe(csv.stdout);
    const jsonFile = join(tmp(), 'report.json');
    runCli(['report', 'export', period, '--out', jsonFile, ...files]);
    expect(readFileSync(jsonFile, 'utf8')).toBe(stored);

    const again = runCli(['report', 'reissue', period, ...files]);
    expect([again.code, again.stdout]).toEqual([0, `${period}-v2\n`]);
    expect(again.stderr).toBe(`report ${period}-v2 made, replacing ${period}: 0 figures changed\n`);

    const store = SqliteStores.open(db);
    try {
      const log = await store.access.auditLog({ limit: 10 });
      expect(log.map((e) => [e.action, e.subject, e.actor, e.address])).toEqual([
        ['report-reissued', `report:${period}-v2`, `cli:${userInfo().username}`, 'local'],
        ['report-created', `report:${period}`, `cli:${userInfo().username}`, 'local'],
      ]);
      expect((await store.reports.report(period))?.body).toBe(stored);
    } finally {
      await store.close();
    }
  });

  it('says what is wrong with a mistake, and exits non-zero', async () => {
    const { files } = await setUp();
    const cases: [string[], number, RegExp][] = [
      [
        ['create', 'week', '2026-11'],
        2,
        /^vantage report create: unknown kind 'week'.*give month, quarter or year\n/,
      ],
      [['create', 'month'], 2, /^vantage report create: give the kind and period/],
      [
        ['create', 'month', '2026-13'],
        1,
        /^vantage report create: period '2026-13' is not a month: give one such as 2026-11\n$/,
      ],
      [
        ['create', 'quarter', '2026-11'],
        1,
        /^vantage report create: period '2026-11' is not a quarter: give one such as 2026-Q4\n$/,
      ],
      [['create', 'year', '2099'], 1, /^vantage report create: period '2099' has not begun yet\n$/],
      [
        ['create', 'month', month(0)],
        1,
        new RegExp(`^vantage report create: period '${month(0)}' has not ended yet`),
      ],
      [
        ['show', 'nothing'],
        1,
        /^vantage report show: no report with id 'nothing' \(see vantage report list\)\n$/,
      ],
      [['reissue', 'nothing'], 1, /^vantage report reissue: no report with id 'nothing'\n$/],
      [
        ['export', 'nothing', '--format', 'xml'],
        2,
        /^vantage report export: --format 'xml' is not json or csv\n/,
      ],
      [['export', 'nothing', '--format', 'csv'], 2, /give --out FILE\.zip, or --table NAME/],
      [['publish'], 2, /^vantage report: unknown action 'publish'/],
    ];
    for (const [args, code, message] of cases) {
      const run = runCli(['report', ...args, ...files]);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.code, args.join(' ')).toBe(code);
      expect(run.stdout, args.join(' ')).toBe('');
    }
    expect(runCli(['report', 'create', 'month', month(-1), ...files]).code).toBe(0);
    const twice = runCli(['report', 'create', 'month', month(-1), ...files]);
    expect([twice.code, twice.stderr]).toEqual([
      1,
      `vantage report create: a month report for ${month(-1)} already exists (${month(-1)}): reissue it to make a new version\n`,
    ]);
    const missing = runCli(['report', 'list', '--db', join(tmp(), 'none.db')]);
    expect([missing.code, missing.stderr]).toEqual([
      1,
      `vantage report list: there is no database at ${join(tmp(), 'none.db')}: give serve's with --db FILE (serve makes it when it first runs)\n`,
    ]);
  }, 120_000);
});
