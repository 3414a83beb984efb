import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The folders' dependency direction is kept by `npm run lint` (biome's noRestrictedImports, per
 * folder, in biome.json). Each case writes one file into a real folder of the repository, lints it
 * with the project's own configuration, and removes it.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const biome = path.join(root, 'node_modules', '.bin', 'biome');
const run = promisify(execFile);

async function lint(folder: string, source: string): Promise<{ ok: boolean; output: string }> {
  const file = path.join(folder, `boundary-case-${process.pid}-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(path.join(root, file), source);
  try {
    const { stdout, stderr } = await run(biome, ['lint', '--colors=off', file], { cwd: root });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  } finally {
    rmSync(path.join(root, file), { force: true });
  }
}

const using = (specifier: string, name: string) =>
  `import { ${name} } from '${specifier}';\n\nexport const used = ${name};\n`;

describe('folder boundaries', () => {
  const refused: [string, string, string][] = [
    ['probes', '../server/config/load.js', 'probes/ runs checks and nothing else'],
    ['probes', '../runs/scheduler.js', 'probes/ runs checks and nothing else'],
    ['probes', '../agent/agent.js', 'probes/ runs checks and nothing else'],
    ['probes', '../surveys/stats.js', 'probes/ runs checks and nothing else'],
    ['agent', '../server/metrics.js', 'an agent runs probes with the shared scheduler'],
    ['agent', '../surveys/stats.js', 'an agent runs probes with the shared scheduler'],
    ['runs', '../server/estate/rows.js', 'runs/ is shared by the server and agents'],
    ['common', '../probes/run.js', 'common/ is shared by every part'],
    ['common', '../server/metrics.js', 'common/ is shared by every part'],
    ['surveys', '../server/store/survey.js', 'surveys/ is pure'],
    ['surveys', '../server/survey/figures.js', 'surveys/ is pure'],
    ['surveys', '../runs/record.js', 'surveys/ is pure'],
    ['principles', '../server/store/results.js', 'principles/ is pure'],
    ['principles', '../surveys/stats.js', 'principles/ is pure'],
    ['web/src', '../../server/estate/view.js', 'the dashboard may import from the server only'],
    ['web/src', '../../probes/result.js', 'the dashboard may import from the server only'],
    ['server/api', '../../web/src/format.js', 'it imports nothing from web/'],
  ];

  it.each(refused)('refuses an import in %s/ of %s', async (folder, specifier, message) => {
    const { ok, output } = await lint(folder, using(specifier, 'anything'));
    expect(ok).toBe(false);
    expect(output).toContain('lint/style/noRestrictedImports');
    expect(output).toContain(message);
  });

  const allowed: [string, string][] = [
    ['probes', '../common/duration.js'],
    ['runs', '../probes/run.js'],
    ['agent', '../runs/scheduler.js'],
    ['agent', '../common/logger.js'],
    ['server', '../probes/registry.js'],
    ['server', '../agent/agent.js'],
    ['surveys', '../common/calendar.js'],
    ['surveys', '../server/config/schema.js'],
  ];

  it.each(allowed)('lets %s/ import %s', async (folder, specifier) => {
    const { ok, output } = await lint(folder, using(specifier, 'anything'));
    expect(output).not.toContain('noRestrictedImports');
    expect(ok).toBe(true);
  });

  it('lets the dashboard import the response types the API is typed by', async () => {
    const types = await lint(
      'web/src',
      "import type { ChecksResponse } from '../../server/api/types.js';\n\nexport type Checks = ChecksResponse;\n",
    );
    expect(types.output).not.toContain('noRestrictedImports');
    expect(types.ok).toBe(true);
  });
});
