import { describe, expect, it } from 'vitest';
import { parseEstate } from '../../server/config/load.js';

/** "LINE:COL: message" for each error, or [] when the estate is valid. */
function errorsOf(yaml: string): string[] {
  const result = parseEstate(yaml, 'estate.yaml', {});
  return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
}

describe('YAML syntax errors', () => {
  it('reports an unclosed { and a key indented one space too far once each, at their own lines', () => {
    const yaml = [
      'organisations:',
      '  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }',
      'sites:',
      "  - { id: st-annes, name: St Anne's Hospital, host: riverside", // line 4: no }
      'systems:',
      '  - { id: epr, name: Electronic patient record, owner: riverside }',
      'checks:',
      '  - id: epr-login',
      '    system: epr',
      '    type: http',
      '    target: https://epr.example.org/login',
      '     every: 1m', // line 12: one space too far
      '    timeout: 10s',
      '',
    ].join('\n');
    expect(errorsOf(yaml)).toEqual([
      '4:5: YAML: this { is not closed: a } is missing before line 5',
      '12:6: YAML: this line is read as going on from the value above it: indent its key as the keys beside it are',
    ]);
  });

  it('reports an unclosed [ where it opens and a sequence item without its dash', () => {
    const yaml = [
      'organisations:',
      '  - id: riverside',
      '    name: Riverside',
      '    kind: acute',
      '  - id: [broken', // line 5
      '    name: x',
      'sites:',
      '  - { id: a, name: b, host: riverside }',
      '  - id: b',
      '   name: c', // line 10
      '',
    ].join('\n');
    expect(errorsOf(yaml)).toEqual([
      '5:9: YAML: this [ is not closed: a ] is missing before line 6',
      '10:1: YAML: Sequence item without - indicator',
    ]);
  });

  it('reports a key without its colon and a tab indent once each', () => {
    const yaml = [
      'organisations:',
      '  - id: riverside',
      '    name: Riverside',
      '    kind acute', // line 4
      '  - id: eastfield',
      '\tname: East', // line 6: a tab, which the parser also calls two other things
      '    kind: acute',
      '',
    ].join('\n');
    expect(errorsOf(yaml)).toEqual([
      '4:5: YAML: Implicit map keys need to be followed by map values',
      '6:1: YAML: Tabs are not allowed as indentation',
    ]);
  });

  it('reports a quote left open where it opens, not at the end of the file', () => {
    const yaml = [
      'organisations:',
      '  - { id: riverside, name: Riverside, kind: acute }',
      'systems:',
      '  - id: epr',
      '    name: "Electronic patient record', // line 5
      '    owner: riverside',
      'checks: []',
      '',
    ].join('\n');
    expect(errorsOf(yaml)).toEqual(['5:11: YAML: this " is never closed']);
  });

  it('reports a quote left open inside { } as the quote, not the } it swallowed', () => {
    const yaml = [
      'organisations:',
      '  - { id: riverside, name: "Riverside, kind: acute }', // line 2
      'sites:',
      '  - { id: a, name: b, host: riverside }',
      '',
    ].join('\n');
    expect(errorsOf(yaml)).toEqual(['2:28: YAML: this " is never closed']);
  });
});
