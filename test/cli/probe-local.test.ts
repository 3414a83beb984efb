import { describe, expect, it } from 'vitest';
import { classifyError } from '../../probes/classify.js';
import { emptyPhases } from '../../probes/timing.js';
import { exitCode, formatResult } from '../../server/cli/probe.js';

describe('vantage probe when this machine cannot make the probe', () => {
  it('says NOT RUN, not FAILED: running out of descriptors is no fault of the target', () => {
    const error = Object.assign(new Error('connect EMFILE 127.0.0.1:443'), { code: 'EMFILE' });
    const result = {
      startedAt: '2026-12-03T09:00:00.000Z',
      ok: false,
      state: 'fail' as const,
      error: classifyError(error, { stage: 'connecting' }),
      phases: emptyPhases(),
    };
    const [first] = formatResult('http', 'https://epr.example.org/', result);
    expect(first).toMatch(
      /^NOT RUN http https:\/\/epr\.example\.org\/ in .*EMFILE.*not a fault of the target \[local\]$/,
    );
    expect(exitCode(result)).toBe(1);
  });
});
