import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatConfigError, loadEstateFile } from '../../server/config/load.js';
import type { Estate } from '../../server/config/schema.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { generateEstateYaml } from './generate-estate.js';
import { formatRow, type Measurement, repeat, stats, timed } from './measure.js';
import { runCli, timeServeToReady } from './processes.js';

const SITES = 500;
const CHECKS = 10_000;
const RUNS = 7;
const RUN_TIMEOUT_MS = 30_000;

/**
 * The estate-scale goals: with 500 sites and 10,000 checks, check-config under 1 s, serve to a ready
 * /readyz under 2 s, and the estate sync into an empty database under 1 s.
 */
export async function benchEstate(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vantage-bench-'));
  try {
    const estateFile = join(dir, 'estate.yaml');
    writeFileSync(estateFile, generateEstateYaml({ sites: SITES, checks: CHECKS }));
    const megabytes = (statSync(estateFile).size / 1024 / 1024).toFixed(2);
    console.log(`estate file: ${SITES} sites, ${count(CHECKS)} checks, ${megabytes} MB; ${RUNS} runs each`);
    console.log();

    await report({ label: `check-config (${count(CHECKS)} checks)`, goalMs: 1000 }, () =>
      timeCheckConfig(estateFile),
    );
    await report({ label: 'serve to /readyz 200, empty db', goalMs: 2000 }, (run) =>
      timeServe(estateFile, join(dir, `fresh-${run}.db`)),
    );

    const syncedDb = join(dir, 'synced.db');
    await timeServe(estateFile, syncedDb); // the first start syncs; the timed runs are second starts
    await report({ label: 'serve to /readyz 200, synced db', goalMs: 2000 }, () =>
      timeServe(estateFile, syncedDb),
    );

    const estate = loadValidEstate(estateFile);
    await report({ label: 'loadEstateFile (parse + validate)' }, () =>
      timed(() => loadValidEstate(estateFile)),
    );
    await report({ label: 'syncEstate into empty db', goalMs: 1000 }, (run) =>
      timeSync(estate, join(dir, `sync-${run}.db`)),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function report(measurement: Measurement, once: (run: number) => Promise<number>): Promise<void> {
  const samples = await repeat(RUNS, once);
  console.log(formatRow(measurement, stats(samples)));
}

async function timeCheckConfig(file: string): Promise<number> {
  const result = await runCli(['check-config', file], RUN_TIMEOUT_MS);
  const counted = result.stdout.includes(`${SITES} sites`) && result.stdout.includes(`${CHECKS} checks`);
  if (result.code !== 0 || !counted) {
    throw new Error(
      `vantage check-config exited with ${result.code} (signal ${result.signal}), ` +
        `expected 0 and a summary of ${SITES} sites and ${CHECKS} checks:\n` +
        `${result.stdout}${result.stderr}`,
    );
  }
  return result.ms;
}

function timeServe(estateFile: string, dbFile: string): Promise<number> {
  return timeServeToReady(
    ['--config', estateFile, '--db', dbFile, '--port', '0', '--host', '127.0.0.1'],
    RUN_TIMEOUT_MS,
  );
}

function loadValidEstate(file: string): Estate {
  const result = loadEstateFile(file);
  if (!result.ok) {
    const first = result.errors.slice(0, 5).map(formatConfigError).join('\n');
    throw new Error(`the generated estate is invalid (${result.errors.length} errors):\n${first}`);
  }
  return result.estate;
}

/** Opening (and migrating) the new database is not timed: only the sync is. */
async function timeSync(estate: Estate, dbFile: string): Promise<number> {
  const store = SqliteStores.open(dbFile);
  try {
    let added = 0;
    const ms = await timed(async () => {
      added = (await store.estate.syncEstate(estate, Date.now())).checks.added.length;
    });
    if (added !== CHECKS) throw new Error(`syncEstate added ${added} checks, expected ${CHECKS}`);
    return ms;
  } finally {
    await store.close();
  }
}

function count(n: number): string {
  return n.toLocaleString('en-GB');
}
