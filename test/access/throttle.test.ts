import { describe, expect, it } from 'vitest';
import { SignInThrottle } from '../../server/access/throttle.js';

const MINUTE = 60_000;

function fakeClock(start = Date.UTC(2026, 10, 24, 9)) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('sign-in throttle', () => {
  it('refuses an account after 5 failures in 15 minutes, for 1 minute, then 2, 4… up to an hour', () => {
    const clock = fakeClock();
    const throttle = new SignInThrottle(clock);
    for (let i = 0; i < 4; i++) {
      expect(throttle.wait('a@nhs.net', '192.0.2.1')).toBe(0);
      throttle.failed('a@nhs.net', '192.0.2.1');
      clock.advance(MINUTE);
    }
    throttle.failed('a@nhs.net', '192.0.2.1');
    expect(throttle.wait('a@nhs.net', '192.0.2.1')).toBe(60);
    // The same account from another address is slowed too; another account from this address is not.
    expect(throttle.wait('A@NHS.net ', '198.51.100.7')).toBe(60);
    expect(throttle.wait('b@nhs.net', '192.0.2.1')).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      clock.advance(throttle.wait('a@nhs.net', '192.0.2.1') * 1000);
      expect(throttle.wait('a@nhs.net', '192.0.2.1')).toBe(0);
      throttle.failed('a@nhs.net', '192.0.2.1');
      waits.push(throttle.wait('a@nhs.net', '192.0.2.1'));
    }
    expect(waits.map((s) => s / 60)).toEqual([2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('forgets after 15 quiet minutes, and a success clears the account', () => {
    const clock = fakeClock();
    const throttle = new SignInThrottle(clock);
    for (let i = 0; i < 4; i++) throttle.failed('a@nhs.net', '192.0.2.1');
    clock.advance(15 * MINUTE);
    throttle.failed('a@nhs.net', '192.0.2.1');
    expect(throttle.wait('a@nhs.net', '192.0.2.1')).toBe(0); // the first four were forgotten

    for (let i = 0; i < 4; i++) throttle.failed('a@nhs.net', '192.0.2.1');
    expect(throttle.wait('a@nhs.net', '192.0.2.1')).toBe(60);
    clock.advance(MINUTE);
    throttle.succeeded('a@nhs.net');
    throttle.failed('a@nhs.net', '192.0.2.1');
    expect(throttle.wait('a@nhs.net', '192.0.2.1')).toBe(0);
  });

  it('refuses an address after 20 failures across accounts, and a success does not reopen it', () => {
    const clock = fakeClock();
    const throttle = new SignInThrottle(clock);
    for (let i = 0; i < 19; i++) throttle.failed(`user${i}@nhs.net`, '192.0.2.9');
    expect(throttle.wait('new@nhs.net', '192.0.2.9')).toBe(0);
    throttle.failed('user19@nhs.net', '192.0.2.9');
    expect(throttle.wait('new@nhs.net', '192.0.2.9')).toBe(60);
    throttle.succeeded('new@nhs.net');
    expect(throttle.wait('new@nhs.net', '192.0.2.9')).toBe(60);
    expect(throttle.wait('new@nhs.net', '192.0.2.10')).toBe(0);
  });

  it('remembers a bounded number of accounts and addresses, forgetting the oldest first', () => {
    const clock = fakeClock();
    const throttle = new SignInThrottle(clock, { maxEntries: 10, accountLimit: 1 });
    throttle.failed('first@nhs.net', '192.0.2.1');
    expect(throttle.wait('first@nhs.net', '192.0.2.200')).toBe(60);
    for (let i = 0; i < 20; i++) throttle.failed(`spray${i}@nhs.net`, `198.51.100.${i}`);
    expect(throttle.size).toBe(10);
    expect(throttle.wait('first@nhs.net', '192.0.2.200')).toBe(0);
    expect(throttle.wait('spray19@nhs.net', '192.0.2.200')).toBe(60);
  });
});
