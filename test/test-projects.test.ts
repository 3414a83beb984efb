import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtTests } from '../vitest.config.js';
import { repoRoot } from './helpers/estates.js';

/** Every test file, as a path from the repository's root. */
function testFiles(dir = join(repoRoot, 'test')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(repoRoot, path)] : [];
  });
}

/** The config's globs are a folder's tests (`dir/**` then `/*.test.ts`) or one file. */
const FOLDER = '**/*.test.ts';
const matches = (glob: string, file: string) =>
  glob.endsWith(FOLDER) ? file.startsWith(glob.slice(0, -FOLDER.length)) : file === glob;

describe('npm run test:unit', () => {
  it('leaves out every test that runs the built command, reads dist/ or needs a browser', () => {
    const files = testFiles();
    for (const glob of builtTests)
      expect(
        files.some((file) => matches(glob, file)),
        glob,
      ).toBe(true);
    const unit = files.filter((file) => !builtTests.some((glob) => matches(glob, file)));
    expect(unit.length).toBeGreaterThan(40);
    const needsBuild = /helpers\/cli\.js|helpers\/browser\.js|'dist'|\bdist\//;
    const misplaced = unit.filter(
      (file) =>
        file !== 'test/test-projects.test.ts' && needsBuild.test(readFileSync(join(repoRoot, file), 'utf8')),
    );
    expect(misplaced, 'add these to builtTests in vitest.config.ts').toEqual([]);
  });
});
