import { describe, expect, it } from 'vitest';
import { answer, morningPeak, OUTAGE, SLOWDOWN } from '../../server/demo/behaviour.js';
import { startDemoTargets } from '../../server/demo/targets.js';

const monday = (h: number, m = 0) => Date.UTC(2026, 10, 23, h, m); // November: London is on GMT
const half = () => 0.5;
const median = (system: string, at: number) => {
  const delays = Array.from({ length: 400 }, (_, i) => {
    const seq = [((i * 37) % 97) / 97 + 0.001, ((i * 53) % 89) / 89 + 0.001];
    let k = 0;
    return (answer(system, at, () => seq[k++ % 2] ?? 0.5) as { delayMs: number }).delayMs;
  }).sort((a, b) => a - b);
  return delays[200] ?? 0;
};

describe('demo systems', () => {
  it('peak around 09:00 London time on weekdays, not at weekends or at night', () => {
    expect(morningPeak(monday(9))).toBeCloseTo(1.8, 5);
    expect(morningPeak(monday(3))).toBe(1);
    expect(morningPeak(Date.UTC(2026, 10, 22, 9))).toBe(1); // Sunday
    expect(median('epr', monday(9))).toBeGreaterThan(1.6 * median('epr', monday(14)));
  });

  it('slow the shared care record down, and take case management out, on a schedule', () => {
    const slowAt = monday(14, SLOWDOWN.fromMinute);
    expect(median(SLOWDOWN.system, slowAt)).toBeGreaterThan(
      3.5 * median(SLOWDOWN.system, monday(14, SLOWDOWN.fromMinute + SLOWDOWN.minutes)),
    );
    expect(answer(OUTAGE.system, monday(14, OUTAGE.fromMinute), half)?.status).toBe(503);
    expect(answer(OUTAGE.system, monday(14, OUTAGE.fromMinute + OUTAGE.minutes), half)?.status).toBe(200);
    expect(answer('no-such-system', monday(14), half)).toBeUndefined();
  });

  it('answer over real HTTP on 127.0.0.1 as the schedule says', async () => {
    let now = monday(14, OUTAGE.fromMinute);
    const targets = await startDemoTargets({ now: () => now, random: half });
    try {
      const down = await fetch(`http://${targets.address}/${OUTAGE.system}/login`);
      expect(down.status).toBe(503);
      now = monday(14, 0);
      const up = await fetch(`http://${targets.address}/${OUTAGE.system}/login`);
      expect(up.status).toBe(200);
      expect(await up.text()).toContain('Sign in');
      expect((await fetch(`http://${targets.address}/nothing`)).status).toBe(404);
    } finally {
      await targets.close();
    }
  });
});
