import { afterEach, describe, expect, it } from 'vitest';
import { probeCommand } from '../../server/cli/probe.js';
import { guardedSystem, SECRETS, secretsIn } from './fixture.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** `vantage probe ARGS` in this process, with `env` as its environment: exit code and what it printed. */
async function probe(args: string[], env: Record<string, string> = SECRETS) {
  const lines: string[] = [];
  const code = await probeCommand(args, (line) => lines.push(line), env);
  return { code, output: lines.join('\n') };
}

async function guarded() {
  const system = await guardedSystem();
  cleanups.push(() => system.close());
  const target = `http://${system.address}/login/\${PATH_KEY}?key=\${QUERY_KEY}`;
  const options = ['--method', 'POST', '--header', 'X-Api-Key: ${HEADER_TOKEN}', '--body', '${BODY_SECRET}'];
  return { system, args: (expectText: string) => ['http', target, ...options, '--expect-body', expectText] };
}

describe('vantage probe with ${NAME} in its arguments', () => {
  it('probes with the values but prints only their references', async () => {
    const { system, args } = await guarded();
    const ok = await probe(args('${EXPECT_TEXT}'));
    expect(ok.code).toBe(0);
    expect(system.seen[0]).toEqual({
      method: 'POST',
      url: `/login/${SECRETS.PATH_KEY}?key=${SECRETS.QUERY_KEY}`,
      apiKey: SECRETS.HEADER_TOKEN,
      body: SECRETS.BODY_SECRET,
    });
    expect(ok.output).toContain(`OK http http://${system.address}/login/\${PATH_KEY}?key=\${QUERY_KEY} in `);
    expect(secretsIn(ok.output)).toEqual([]);

    for (const json of [[], ['--json']]) {
      const failed = await probe([...args('${ABSENT_TEXT}'), ...json]);
      expect(failed.code).toBe(1);
      expect(failed.output).toContain("the body does not contain '${ABSENT_TEXT}'");
      expect(secretsIn(failed.output)).toEqual([]);
    }
  });

  it('never prints credentials in a target, and names a variable that is not set', async () => {
    const { system } = await guarded();
    const literal = await probe([
      'http',
      `http://probe:hunter2@${system.address}/`,
      '--expect-status',
      '403',
    ]);
    expect(literal.code).toBe(0);
    expect(literal.output).toContain(`OK http http://${system.address}/ in `);
    expect(literal.output).not.toContain('hunter2');
    await expect(probe(['http', 'http://${NO_SUCH_HOST}/'], {})).rejects.toThrow(
      'vantage probe: environment variable NO_SUCH_HOST is not set',
    );
  });
});
