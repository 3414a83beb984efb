import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { describe, it } from 'vitest';
import { repoRoot } from './estates.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifactsDir = join(repoRoot, 'test', 'artifacts');

/**
 * A suite that needs headless Chromium. Without it the suite is skipped on a developer's machine,
 * but fails in CI, where a skipped browser test would hide a broken page.
 */
export function browserSuite(name: string, body: () => void): void {
  if (existsSync(executablePath)) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it('has Chromium to run in', () => {
        throw new Error(
          `Chromium is not at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
        );
      });
    });
  } else {
    describe.skip(`${name} (no Chromium at ${executablePath})`, body);
  }
}

export function launchBrowser(): Promise<Browser> {
  mkdirSync(artifactsDir, { recursive: true });
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
}
