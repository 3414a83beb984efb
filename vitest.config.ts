import { defineConfig } from 'vitest/config';

/**
 * Tests that run the built `vantage` command (dist/) or a browser. `npm run test:unit` leaves them out,
 * so it needs no build and no Chromium; `npm test` builds first and runs both projects.
 */
export const builtTests = [
  'test/e2e/**/*.test.ts',
  'test/cli/**/*.test.ts',
  'test/agent/agent-process.test.ts',
  'test/scheduler/local-failure.test.ts',
  'test/access/oidc-sign-in.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: builtTests,
          // Nothing here keeps state in a module (each test builds its own app, store and clock), so a
          // worker loads the code once for all its files: half the CPU of loading it again for each.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'built', include: builtTests } },
    ],
  },
});
