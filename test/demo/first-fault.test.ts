import { describe, expect, it } from 'vitest';
import { demoNetwork, FIRST_FAULT, siteCondition } from '../../server/demo/network.js';

describe("the demo's first fault", () => {
  // A start away from the recurring problems' minutes (none of them is Wharf Road's anyway).
  const started = Date.UTC(2026, 11, 3, 10, 20, 0);
  const network = demoNetwork(started);
  const at = (seconds: number) => started + seconds * 1_000;

  it("takes Wharf Road's link down from 45 s to 4 min 45 s after the start, and only then", () => {
    expect(FIRST_FAULT.site).toBe('wharf-road');
    expect(network('wharf-road', at(44)).down).toBe(false);
    expect(network('wharf-road', at(45)).down).toBe(true);
    expect(network('wharf-road', at(284)).down).toBe(true);
    expect(network('wharf-road', at(285)).down).toBe(false);
    expect(network('wharf-road', at(3_600))).toEqual(siteCondition('wharf-road', at(3_600)));
  });

  it("leaves every other site's link as the recurring schedule has it", () => {
    for (const site of ['royal-riverside', 'st-annes', 'marsh-lane', 'canal-street-surgery'])
      for (const seconds of [0, 60, 120, 240])
        expect(network(site, at(seconds))).toEqual(siteCondition(site, at(seconds)));
  });

  it('is down long enough for three failed runs of a check run every minute, wherever its minute falls', () => {
    const span = FIRST_FAULT.untilMs - FIRST_FAULT.fromMs;
    expect(Math.floor(span / 60_000)).toBeGreaterThanOrEqual(3 + 1);
  });
});
