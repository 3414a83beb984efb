import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../server/api/types.js';
import { spanText, whyText } from '../../web/src/incident-words.js';
import { ordered } from '../../web/src/pages/alerts.js';

const incident = (id: string, change: Partial<IncidentView>): IncidentView =>
  ({
    id,
    severity: 'warning',
    state: 'open',
    startedAt: '2026-12-03T09:00:00.000Z',
    openedAt: '2026-12-03T09:03:00.000Z',
    resolvedAt: null,
    ...change,
  }) as IncidentView;

describe('the Alerts page’s order and words', () => {
  it('puts open incidents first, worst then oldest, and resolved ones after, newest first', () => {
    const { open, resolved } = ordered([
      incident('1', { severity: 'info', startedAt: '2026-12-03T08:00:00.000Z' }),
      incident('2', { severity: 'critical', startedAt: '2026-12-03T10:00:00.000Z' }),
      incident('3', { severity: 'critical', startedAt: '2026-12-03T09:00:00.000Z', state: 'acknowledged' }),
      incident('4', { state: 'resolved', resolvedAt: '2026-12-03T11:00:00.000Z' }),
      incident('5', { state: 'resolved', resolvedAt: '2026-12-03T12:00:00.000Z' }),
      incident('6', { severity: 'warning', startedAt: '2026-12-03T07:00:00.000Z' }),
    ]);
    expect(open.map((i) => i.id)).toEqual(['3', '2', '6', '1']);
    expect(resolved.map((i) => i.id)).toEqual(['5', '4']);
  });

  it('says a span as staff do', () => {
    expect(spanText(20_000)).toBe('less than a minute');
    expect(spanText(42 * 60_000 + 59_000)).toBe('42 min');
    expect(spanText(3 * 3_600_000)).toBe('3 h');
    expect(spanText(3 * 3_600_000 + 5 * 60_000)).toBe('3 h 5 min');
    expect(spanText(52 * 3_600_000)).toBe('2 days 4 h');
    expect(spanText(-5_000)).toBe('less than a minute');
  });

  it('says why an incident is theirs in the words of its rule', () => {
    const why = (rule: string, role: 'owner' | 'host') =>
      whyText(incident('1', { rule, responsible: { role } } as unknown as Partial<IncidentView>));
    expect(why('failures', 'host')).toBe(
      'Failing from this site only, so the site’s own infrastructure: its host’s to fix.',
    );
    expect(why('latency', 'owner')).toBe(
      'Slow from at least half of the places it is checked from, so the system itself: its owner’s to fix.',
    );
    expect(why('burn-rate', 'host')).toMatch(
      /^Most of the error budget burnt was failing or slow at this site only/,
    );
  });
});
