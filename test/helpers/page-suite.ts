import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import { type ServerProcess, startCliServer } from './cli.js';
import { type Person, pageAs, type SignedIn, signedInAt } from './signed-in.js';

export interface PageSuiteOptions<Who extends string> {
  /** The temporary folder's prefix, e.g. `vantage-roles-`. */
  prefix: string;
  estateYaml: string;
  /** Signed in, in this order, once the server is up. */
  people: Record<Who, Person>;
  /** Writes to the database before the server starts (it is given the file). */
  seed?: (db: string) => Promise<void>;
  /** The set-up's own time limit, where seeding takes long. */
  setupTimeoutMs?: number;
}

export interface PageSuite<Who extends string> {
  readonly server: ServerProcess;
  readonly browser: Browser;
  /** The database file the server holds; tests may open it too (SQLite lets both in). */
  readonly db: string;
  /** Each person's session, filled in before the first test. */
  readonly as: Record<Who, SignedIn>;
  /** A page signed in as `who`, at `path`, with the page's script errors collected. */
  open(who: SignedIn, path: string, width?: number): Promise<{ page: Page; errors: string[] }>;
}

/**
 * A dashboard suite's fixture, inside a `browserSuite`: the estate file and database in a folder of
 * its own, `vantage serve` on them, the people signed in, and Chromium; all of it gone after.
 */
export function pageSuite<Who extends string>(options: PageSuiteOptions<Who>): PageSuite<Who> {
  // One folder for the whole suite: its database is opened again by the tests while the server runs.
  const dir = mkdtempSync(join(tmpdir(), options.prefix));
  const db = join(dir, 'vantage.db');
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  const as = {} as Record<Who, SignedIn>;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the suite's ${what} is not started yet`);
    return value;
  };

  beforeAll(async () => {
    const config = join(dir, 'estate.yaml');
    writeFileSync(config, options.estateYaml);
    await options.seed?.(db);
    server = await startCliServer(['--config', config, '--db', db]);
    for (const [who, person] of Object.entries(options.people) as [Who, Person][])
      as[who] = await signedInAt(db, person);
    browser = await launchBrowser();
  }, options.setupTimeoutMs);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    get server() {
      return ready(server, 'server');
    },
    get browser() {
      return ready(browser, 'browser');
    },
    db,
    as,
    async open(who, path, width = 1280) {
      const url = ready(server, 'server').url;
      const page = await pageAs(ready(browser, 'browser'), url, who, { viewport: { width, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(new URL(path, url).toString());
      return { page, errors };
    },
  };
}
