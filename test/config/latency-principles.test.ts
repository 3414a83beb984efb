import { describe, expect, it } from 'vitest';
import { parseEstate } from '../../server/config/load.js';
import { smallEstateYaml } from '../helpers/estates.js';

/** "LINE:COL: message" for each error, or [] when the estate is valid. */
function errorsOf(yaml: string): string[] {
  const result = parseEstate(yaml, 'estate.yaml', {});
  return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
}

const principle = (fields: string) =>
  `${smallEstateYaml}principles:\n  - { id: fast, title: Fast, ${fields} }\n`;

describe('latency principles in the estate file', () => {
  it('takes a time or a bare number of milliseconds as the target', () => {
    expect(errorsOf(principle('metric: latency, percentile: 95, target: 3s'))).toEqual([]);
    expect(errorsOf(principle('metric: latency, target: 500ms'))).toEqual([]);
    expect(errorsOf(principle('metric: latency, percentile: 99, target: 2500'))).toEqual([]);
  });

  it('refuses a percentage or a negative time as a latency target, naming the field', () => {
    expect(errorsOf(principle('metric: latency, percentile: 95, target: 99%'))).toEqual([
      expect.stringMatching(
        /^19:\d+: principle 'fast' field 'target': a latency target is a time, such as 3s or 500ms \(a bare number is milliseconds\), not '99%'$/,
      ),
    ]);
    expect(errorsOf(principle('metric: latency, target: -5'))[0]).toMatch(
      /field 'target': a latency target is a time/,
    );
  });

  it('refuses a percentile on a principle that does not read one', () => {
    expect(errorsOf(principle('metric: availability, percentile: 95, target: 99.9%'))).toEqual([
      expect.stringMatching(
        /principle 'fast' field 'percentile': only latency principles read a percentile; this one's metric is availability$/,
      ),
    ]);
  });
});
