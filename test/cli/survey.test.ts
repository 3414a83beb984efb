import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

const estateYaml = smallEstateYaml.concat(`surveys:
  - { id: usability-2025, title: IT usability survey 2025, opens: 2025-10-01, closes: 2025-12-31, systems: { epr: sus } }
  - { id: usability-2026, title: IT usability survey 2026, opens: 2026-10-01, closes: 2026-12-31, systems: { epr: sus } }
`);

/** The same campaigns with 2025's still open, as it was while its paper forms came in. */
const openYaml = estateYaml.replace('closes: 2025-12-31', 'closes: 2099-12-31');

const header =
  'organisation,site,staffGroup,date,epr.sus1,epr.sus2,epr.sus3,epr.sus4,epr.sus5,epr.sus6,epr.sus7,epr.sus8,epr.sus9,epr.sus10,epr.infra.available,infra.timeToRecord,comments';
const row = (site: string, comment = '', staffGroup = 'nursing') =>
  `riverside,${site},${staffGroup},2025-11-0${1 + (site.length % 8)},4,2,4,1,4,2,5,2,4,2,4,10-30s,"${comment}"`;

describe('vantage survey import and export', () => {
  it('imports rows checked as the form checks them, then exports results with small groups withheld', () => {
    const config = join(tmp(), 'estate.yaml');
    const db = join(tmp(), 'vantage.db');
    writeFileSync(config, openYaml);
    const csv = join(tmp(), 'paper.csv');
    const rows = [
      ...Array.from({ length: 12 }, (_, i) =>
        row('st-annes', i === 0 ? 'Call me on 07700 900123, ""urgent""' : ''),
      ),
      ...Array.from({ length: 11 }, () => row('st-annes', '', 'medical')),
      ...Array.from({ length: 3 }, () => row('marsh-lane', '', 'admin')),
    ];
    writeFileSync(csv, `${header}\n${rows.join('\n')}\n`);
    const imported = runCli(['survey', 'import', 'usability-2025', csv, '--config', config, '--db', db]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout.trim()).toBe('imported 26 responses into usability-2025');
    writeFileSync(config, estateYaml); // now closed, its results published

    const exportBy = (by: string, format = 'csv') =>
      runCli([
        'survey',
        'export',
        'usability-2025',
        '--by',
        by,
        '--format',
        format,
        '--config',
        config,
        '--db',
        db,
      ]);
    const exported = exportBy('staffGroup');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout.trim().split('\n')).toEqual([
      'group,responses,withheld,epr n,epr mean,epr ci95 low,epr ci95 high,epr grade or SUS equivalent',
      'admin,,fewer responses than the minimum group size,,,,,',
      'medical,,withheld so that a smaller group cannot be worked out from the totals,,,,,',
      // The 12 nurses all scored 80: a mean of 80 in [80, 80] would tell each one's score.
      'nursing,12,,,,,,',
    ]);
    expect(exported.stdout).not.toContain('07700'); // no free text, no row per respondent
    // By site, Marsh Lane's 3 could be worked out from the total, so St Anne's is withheld too.
    const bySite = exportBy('site').stdout;
    expect(bySite).toContain('marsh-lane,,fewer responses than the minimum group size');
    expect(bySite).toMatch(/st-annes,,(withheld so|part of a group)/);
    expect(JSON.parse(exportBy('organisation', 'json').stdout)).toMatchObject({
      campaign: 'usability-2025',
      overall: { n: 26 },
    });

    // One late row would change the published figures (and could be read back from them): refused.
    const late = join(tmp(), 'late.csv');
    writeFileSync(late, `${header}\n${row('marsh-lane', 'Late and alone.', 'admin')}\n`);
    const refused = runCli(['survey', 'import', 'usability-2025', late, '--config', config, '--db', db]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      'vantage survey import: IT usability survey 2025 closed on 31 December 2025 and its results are published; published figures do not change, so it takes no more responses; nothing was imported',
    );
    expect(refused.stdout).toBe('');
    expect(exportBy('site', 'json').stdout).toContain('"n": 26');
    expect(exportBy('staffGroup').stdout).toBe(exported.stdout);
  });

  it('imports nothing when a row is wrong, naming the file and line; refuses an export before close', () => {
    const config = join(tmp(), 'estate.yaml');
    const db = join(tmp(), 'vantage.db');
    writeFileSync(config, openYaml);
    const csv = join(tmp(), 'bad.csv');
    writeFileSync(
      csv,
      `${header}\n${row('st-annes')}\n${row('nowhere').replace(',4,2,4,1,', ',4,2,9,1,')}\n`,
    );
    const bad = runCli(['survey', 'import', 'usability-2025', csv, '--config', config, '--db', db]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${csv}:3: site: 'nowhere' is not a site in this survey`);
    expect(bad.stderr).toContain(
      `${csv}:3: answers.epr.sus3: sus3 must be a whole number from 1 to 5, not 9`,
    );
    expect(bad.stderr).toContain('2 problems; nothing was imported');
    writeFileSync(config, estateYaml);
    const missing = runCli(['survey', 'export', 'usability-2025', '--config', config, '--db', db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`there is no database at ${db}`);
    expect(existsSync(db)).toBe(false);
    expect(runCli(['token', 'create', '--site', 'st-annes', '--config', config, '--db', db]).code).toBe(0);
    const empty = runCli(['survey', 'export', 'usability-2025', '--config', config, '--db', db]);
    expect(empty.stdout).toContain('group,responses');
    expect(empty.stdout.trim().split('\n')).toHaveLength(1);

    const early = runCli(['survey', 'export', 'usability-2026', '--config', config, '--db', db]);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('published when it closes, at the end of 31 December 2026');
    const unknown = runCli(['survey', 'export', 'usability-2024', '--config', config, '--db', db]);
    expect(unknown.stderr).toContain("no survey 'usability-2024'");
  });
});
