import { describe, expect, it } from 'vitest';
import { parseEstate } from '../../server/config/load.js';

const base = `organisations:
  - { id: riverside, name: Riverside, kind: acute }
sites:
  - { id: st-annes, name: St Anne's, host: riverside }
systems:
  - { id: epr, name: EPR, owner: riverside }
`;

const survey = (systems: string, opens = '2026-10-01') =>
  `${base}surveys:\n  - id: s\n    title: S\n    opens: ${opens}\n    closes: 2026-12-31\n    systems: ${systems}\n`;

/** "LINE:COL: message" for each error; loading itself threw in these cases before. */
function errorsOf(yaml: string): string[] {
  const result = parseEstate(yaml, 'estate.yaml', {});
  return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
}

describe('an estate file whose values are mappings with the names of built-in methods', () => {
  it.each([
    ['a survey system rated by a mapping', survey('{ epr: { toString: [] } }'), 12],
    ['one with valueOf too', survey('{ epr: { valueOf: 1, toString: 2 } }'), 12],
    ['a date given as a mapping', survey('{ epr: sus }', '{ toString: [] }'), 10],
  ])('is a located error, not a crash: %s', (_, yaml, line) => {
    const errors = errorsOf(yaml);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^${line}:\\d+: survey 's' field .*a mapping`));
  });

  it('takes no inherited name for a check type it was not given', () => {
    const errors = errorsOf(`${base}checks:\n  - { id: c, system: epr, type: toString, target: 'x' }\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^8:\d+: .*unknown type 'toString'/);
  });
});
