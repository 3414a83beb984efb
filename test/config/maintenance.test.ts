import { describe, expect, it } from 'vitest';
import { parseEstate } from '../../server/config/load.js';
import { smallEstateYaml } from '../helpers/estates.js';

function errorsOf(maintenance: string): string[] {
  const result = parseEstate(`${smallEstateYaml}maintenance:\n${maintenance}`, 'estate.yaml', {});
  return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
}
// The small estate is 17 lines; `maintenance:` is line 18, its first window line 19.

describe('maintenance windows in the estate file', () => {
  it('accepts a window once and a repeated one', () => {
    expect(
      errorsOf(`  - { id: epr-upgrade, title: EPR upgrade, start: 2026-11-14T22:00, end: 2026-11-15T02:00, scope: { systems: [epr] } }
  - { id: sunday-patching, title: Sunday patching, cron: "0 6 * * 0", duration: 2h, scope: { sites: [marsh-lane] } }
`),
    ).toEqual([]);
  });

  it('names each mistake where it is', () => {
    const errors =
      errorsOf(`  - { id: a, title: A, start: 2026-11-14 22:00, end: 2026-11-15T02:00, scope: { systems: [epr] } }
  - { id: b, title: B, start: 2026-11-15T02:00, end: 2026-11-14T22:00, scope: { systems: [epr] } }
  - { id: c, title: C, cron: "0 6 * * 0", scope: { sites: [marsh-lane] } }
  - { id: d, title: D, start: 2026-11-14T22:00, end: 2026-11-15T02:00, cron: "0 6 * * 0", duration: 1h, scope: { sites: [marsh-lane] } }
  - { id: e, title: E, start: 2026-11-14T22:00, end: 2026-11-15T02:00, scope: {} }
  - { id: f, title: F, start: 2026-11-14T22:00, end: 2026-11-15T02:00, scope: { sites: [marsh-lain] } }
  - { id: a, title: G, cron: "0 6 * * 0", duration: 8d, scope: { checks: [epr-login] } }
`);
    expect(errors.join('\n')).toContain(
      "invalid time '2026-11-14 22:00': use YYYY-MM-DDTHH:MM in London time",
    );
    expect(
      errors.some(
        (e) =>
          e.startsWith('20:') && e.includes('end (2026-11-14T22:00) is not after start (2026-11-15T02:00)'),
      ),
    ).toBe(true);
    expect(
      errors.some((e) => e.startsWith('21:') && e.includes('a repeated window needs both cron and duration')),
    ).toBe(true);
    expect(
      errors.some(
        (e) =>
          e.startsWith('22:') &&
          e.includes('either once (start, end) or repeated (cron, duration), not both'),
      ),
    ).toBe(true);
    expect(errors.some((e) => e.startsWith('23:') && e.includes('a window covers something'))).toBe(true);
    expect(
      errors.some(
        (e) => e.startsWith('24:') && e.includes("unknown site 'marsh-lain' (did you mean 'marsh-lane'?)"),
      ),
    ).toBe(true);
    expect(errors.some((e) => e.startsWith('25:') && e.includes("duplicate maintenance window id 'a'"))).toBe(
      true,
    );
    expect(errors.some((e) => e.startsWith('25:') && e.includes('must be at most 7d, not 8d'))).toBe(true);
  });
});
