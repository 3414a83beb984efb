import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const token = `vat_0123abcd_${'A'.repeat(43)}`;

describe('vantage agent, given bounds it cannot keep', () => {
  it.each([
    [['--max-age', '5000d'], 'vantage agent: --max-age is at most 365d'],
    [['--max-mb', '1e15'], 'vantage agent: --max-mb is at most 100000 (100 GB)'],
    [['--max-mb', 'lots'], "vantage agent: --max-mb is a number of megabytes, not 'lots'"],
  ])('refuses %j as a usage mistake, before it starts', (args, message) => {
    const run = runCli(['agent', '--server', 'http://127.0.0.1:9/', '--token', token, ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(message);
  });
});
