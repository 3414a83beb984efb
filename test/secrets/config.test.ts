import { describe, expect, it } from 'vitest';
import { parseEstate, validateLocated, validWithoutLocations } from '../../server/config/load.js';
import { smallEstateYaml } from '../helpers/estates.js';

const env = {
  EPR_KEY: 'eprkey-secret-2718',
  EPR_TEXT: 'welcome-secret-1414',
  PROXY: '10.0.0.7',
  HOOK_KEY: 'hookkey-secret-1618',
};

const withSecrets = smallEstateYaml
  .replace('https://epr.example.org/login', '"https://epr.example.org/login?key=${EPR_KEY}"')
  .replace('bodyContains: Sign in', 'bodyContains: "${EPR_TEXT:-Sign in}"')
  .replace('    every: 1m\n', '    every: 1m\n    headers: { Authorization: "Bearer ${EPR_KEY}" }\n')
  .concat('channels:\n')
  .concat(
    '  - { id: it, organisation: riverside, type: teams, url: "https://hooks.example.org/${HOOK_KEY}" }\n',
  )
  .concat('settings: { trustProxy: ["${PROXY}"] }\n');

function errorsOf(yaml: string, given: Record<string, string> = env): string[] {
  const result = parseEstate(yaml, 'estate.yaml', given);
  return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
}

describe('the estate keeps values from the environment as their references', () => {
  it("keeps a check's secrets as ${NAME}, says what they resolved to, and resolves settings", () => {
    const result = parseEstate(withSecrets, 'estate.yaml', env);
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
    const check = result.estate.checks[0];
    expect(check?.target).toBe('https://epr.example.org/login?key=${EPR_KEY}');
    expect(check?.type === 'http' && check.headers).toEqual({ Authorization: 'Bearer ${EPR_KEY}' });
    expect(check?.type === 'http' && check.expect?.bodyContains).toBe('${EPR_TEXT:-Sign in}');
    expect(result.estate.channels[0]?.type === 'teams' && result.estate.channels[0].url).toBe(
      'https://hooks.example.org/${HOOK_KEY}',
    );
    expect(result.estate.settings.trustProxy).toEqual(['10.0.0.7']);
    expect(result.secrets).toEqual(
      expect.arrayContaining([
        { name: 'EPR_KEY', value: env.EPR_KEY },
        { name: 'EPR_TEXT', value: env.EPR_TEXT },
      ]),
    );
    // A default stands in for an unset name, and is kept out of sight as a value would be.
    const fallback = parseEstate(withSecrets, 'estate.yaml', {
      EPR_KEY: 'k',
      PROXY: 'loopback',
      HOOK_KEY: 'h',
    });
    expect(fallback.ok && fallback.secrets).toContainEqual({ name: 'EPR_TEXT', value: 'Sign in' });
  });

  it('reads the file the same way on its fast path and its located path', () => {
    const fast = validWithoutLocations(withSecrets, env);
    expect(fast?.ok).toBe(true);
    expect(validateLocated(withSecrets, 'estate.yaml', env)).toEqual(fast);
  });

  it('refuses ${NAME} in a field that is shown, naming the field and the variable', () => {
    const shown = smallEstateYaml
      .replace("name: St Anne's Hospital", 'name: "${SITE_NAME}"')
      .replace('    every: 1m\n', '    every: "${EVERY}"\n')
      .replace('    system: epr\n', '    system: epr\n    name: "EPR ${EPR_KEY}"\n');
    expect(errorsOf(shown, { ...env, SITE_NAME: 'St Anne', EVERY: '1m' })).toEqual([
      `5:27: site 'st-annes' field 'name': takes its value from \${SITE_NAME}, which makes it a secret, but this field is shown: write the value itself (a value from the environment may be used in a check's target, its type's own fields and expect, a channel's fields, and settings)`,
      `12:11: check 'epr-login' field 'name': takes its value from \${EPR_KEY}, which makes it a secret, but this field is shown: write the value itself (a value from the environment may be used in a check's target, its type's own fields and expect, a channel's fields, and settings)`,
      `15:12: check 'epr-login' field 'every': takes its value from \${EVERY}, which makes it a secret, but this field is shown: write the value itself (a value from the environment may be used in a check's target, its type's own fields and expect, a channel's fields, and settings)`,
    ]);
  });

  it('never quotes a value from the environment in an error', () => {
    const yaml = smallEstateYaml.replace('https://epr.example.org/login', '"${EPR_URL}"');
    const errors = errorsOf(yaml, { EPR_URL: 'ftp://hidden-host-5772.example/x' });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).not.toContain('hidden-host-5772');
  });
});
