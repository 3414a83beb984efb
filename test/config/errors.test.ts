import { describe, expect, expectTypeOf, it } from 'vitest';
import type { SpecOf } from '../../probes/check-schema.js';
import { parseEstate } from '../../server/config/load.js';
import type { Check } from '../../server/config/schema.js';
import { demoText, smallEstateYaml } from '../helpers/estates.js';

/** "LINE:COL: message" for each error, or [] when the estate is valid. */
function errorsOf(yaml: string, env: Record<string, string> = {}): string[] {
  const result = parseEstate(yaml, 'estate.yaml', env);
  return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
}

const withCheckLine = (from: string, to: string) => {
  expect(smallEstateYaml).toContain(from);
  return smallEstateYaml.replace(from, to);
};

describe('estate file validation', () => {
  it('accepts the small estate and the demo estate', () => {
    expect(errorsOf(smallEstateYaml)).toEqual([]);
    expect(errorsOf(demoText())).toEqual([]);
  });

  it('reports YAML syntax errors where they are', () => {
    const errors = errorsOf(withCheckLine('    every: 1m\n', '    every: 1m\n    broken: [one, two\n'));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^1[5-7]:\d+: YAML: /);
  });

  it('reports a duplicate key in a mapping', () => {
    expect(errorsOf(withCheckLine('    timeout: 10s\n', '    timeout: 10s\n    timeout: 5s\n'))[0]).toMatch(
      /^16:5: YAML: .*[Uu]nique/,
    );
  });

  it('reports unknown keys with a did-you-mean for near misses', () => {
    expect(errorsOf(withCheckLine('    every: 1m', '    evry: 1m'))).toEqual([
      "14:5: check 'epr-login' field 'evry': unknown key 'evry' (did you mean 'every'?)",
    ]);
    expect(errorsOf(`${smallEstateYaml}colour: blue\n`)).toEqual(["18:1: colour: unknown key 'colour'"]);
  });

  it('reports duplicate ids within a kind, pointing back at the first', () => {
    const yaml = withCheckLine(
      '  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }\n',
      '  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }\n  - { id: st-annes, name: Again, host: eastfield }\n',
    );
    expect(errorsOf(yaml)).toEqual([
      "7:11: site 'st-annes' field 'id': duplicate site id 'st-annes' (first defined at line 5)",
    ]);
  });

  it('allows the same id in different kinds', () => {
    const yaml = withCheckLine(
      '- { id: epr, name: Electronic',
      '- { id: riverside, name: Electronic',
    ).replace('    system: epr', '    system: riverside');
    expect(errorsOf(yaml)).toEqual([]);
  });

  it('reports references to unknown organisations, sites and systems', () => {
    expect(errorsOf(withCheckLine('host: riverside }', 'host: riversid }'))).toEqual([
      "5:53: site 'st-annes' field 'host': unknown organisation 'riversid' (did you mean 'riverside'?)",
    ]);
    expect(errorsOf(withCheckLine('from: [st-annes, marsh-lane]', 'from: [st-annes, marsh-lan]'))).toEqual([
      "16:22: check 'epr-login' field 'from[1]': unknown site 'marsh-lan' (did you mean 'marsh-lane'?)",
    ]);
    expect(errorsOf(withCheckLine('    system: epr', '    system: pas'))).toEqual([
      "11:13: check 'epr-login' field 'system': unknown system 'pas'",
    ]);
  });

  it.each(['30s', '1m', '2h', '1d', '90s'])('accepts the duration %s', (duration) => {
    expect(errorsOf(withCheckLine('every: 1m', `every: ${duration}`))).toEqual([]);
  });

  it.each(['0s', '-1m', '5 minutes', '1.5m', '10', '1w', '"1m "'])('refuses the duration %s', (duration) => {
    const errors = errorsOf(withCheckLine('every: 1m', `every: ${duration}`));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^14:12: check 'epr-login' field 'every': (invalid duration|expected a string)/,
    );
  });

  it('reports invalid cron expressions', () => {
    expect(errorsOf(withCheckLine('every: 1m', 'cron: "61 * * * *"'))).toEqual([
      "14:11: check 'epr-login' field 'cron': invalid cron expression '61 * * * *': minute '61' is not valid",
    ]);
    expect(errorsOf(withCheckLine('every: 1m', 'cron: "*/5 * * * *"'))).toEqual([]);
  });

  it('reports unknown check types with the known ones', () => {
    expect(errorsOf(withCheckLine('type: http', 'type: htp'))).toEqual([
      "12:11: check 'epr-login' field 'type': unknown type 'htp' (did you mean 'http'?); known types: http, tcp, dns, tls",
    ]);
  });

  it.each([
    ['http', 'ftp://epr.example.org/', /must start with http:\/\/ or https:\/\//],
    ['http', 'epr.example.org/login', /is not a URL/],
    ['tcp', 'epr.example.org', /has no port/],
    ['tcp', 'epr.example.org:70000', /invalid port/],
    ['dns', 'not a name', /is not a domain name/],
    ['tls', 'epr.example.org:0', /invalid port/],
  ])('reports a %s target that does not parse: %s', (type, target, message) => {
    const yaml = withCheckLine('type: http', `type: ${type}`)
      .replace('target: https://epr.example.org/login', `target: "${target}"`)
      .replace('    expect: { status: [200], bodyContains: Sign in, degradedMs: 2000 }\n', '');
    const errors = errorsOf(yaml);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^13:13: check 'epr-login' field 'target': /);
    expect(errors[0]).toMatch(message);
  });

  it('accepts targets that parse for their type', () => {
    for (const [type, target] of [
      ['tcp', '10.1.2.3:443'],
      ['tcp', '[::1]:25'],
      ['dns', 'epr.example.org'],
      ['tls', 'epr.example.org'],
    ]) {
      const yaml = withCheckLine('type: http', `type: ${type}`)
        .replace('target: https://epr.example.org/login', `target: "${target}"`)
        .replace('    expect: { status: [200], bodyContains: Sign in, degradedMs: 2000 }\n', '');
      expect(errorsOf(yaml), `${type} ${target}`).toEqual([]);
    }
  });

  it('reads ${NAME} from the environment and reports it when unset', () => {
    const yaml = withCheckLine('https://epr.example.org/login', 'https://${EPR_HOST}/login');
    expect(errorsOf(yaml, { EPR_HOST: 'epr.example.org' })).toEqual([]);
    expect(errorsOf(yaml)).toEqual([
      "13:13: check 'epr-login' field 'target': environment variable EPR_HOST is not set",
    ]);
    const withDefault = withCheckLine(
      'https://epr.example.org/login',
      'https://${EPR_HOST:-epr.example.org}/login',
    );
    expect(errorsOf(withDefault)).toEqual([]);
  });

  it('limits how far YAML aliases may expand', () => {
    const bomb = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(9)
          .fill(`*${'abcdefghij'[i - 1]}`)
          .join(', ')}]`,
      );
    const errors = errorsOf(
      `${smallEstateYaml}settings:\n  timezone: Europe/London\n${bomb.map((l) => `# ${l}`).join('\n')}\nx:\n  ${bomb.join('\n  ')}\n`,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^1:1: YAML: .*[Aa]lias/);
  });

  it('reports a missing required field at the entity', () => {
    expect(errorsOf(withCheckLine('    system: epr\n', ''))).toEqual([
      "10:5: check 'epr-login': missing required field 'system'",
    ]);
  });

  it('reports every error, not only the first, in file order', () => {
    const yaml = smallEstateYaml
      .replace('host: riverside }', 'host: nowhere }')
      .replace('every: 1m', 'every: soon')
      .replace('type: http', 'type: smtp');
    const errors = errorsOf(yaml);
    expect(errors.map((e) => e.split(':').slice(0, 2).join(':'))).toEqual(['5:53', '12:11', '14:12']);
  });

  it('refuses every and cron together, a minGroupSize below 10, and a survey that closes before it opens', () => {
    expect(errorsOf(withCheckLine('    every: 1m\n', '    every: 1m\n    cron: "* * * * *"\n'))).toEqual([
      "15:11: check 'epr-login' field 'cron': give either every or cron, not both",
    ]);
    expect(errorsOf(`${smallEstateYaml}settings: { survey: { minGroupSize: 5 } }\n`)).toEqual([
      '18:37: settings.survey.minGroupSize: minGroupSize is never below 10',
    ]);
    const survey = `${smallEstateYaml}surveys:\n  - { id: s, title: S, opens: 2026-10-01, closes: 2026-09-30, systems: { epr: sus } }\n`;
    expect(errorsOf(survey)).toEqual([
      "19:51: survey 's' field 'closes': closes (2026-09-30) is before opens (2026-10-01)",
    ]);
  });

  it('types a parsed check by its type, so a check narrows on check.type', () => {
    expectTypeOf<Extract<Check, { type: 'http' }>['type']>().toEqualTypeOf<'http'>();
    expectTypeOf<SpecOf<'tcp'>>().toEqualTypeOf<Extract<Check, { type: 'tcp' }>>();
    expectTypeOf<Check['type']>().toEqualTypeOf<'http' | 'tcp' | 'dns' | 'tls'>();
    const check = {} as Check;
    if (check.type === 'dns')
      expectTypeOf(check.record).toEqualTypeOf<'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | undefined>();
  });
});
