import { afterEach, describe, expect, it } from 'vitest';
import { quietUntil } from '../../server/alerts/quiet-hours.js';
import { useTmpDir } from '../helpers/tmp.js';
import { MINUTE } from './fixture.js';
import { estateWith, events, type Running, runAlerts } from './follow-ups-fixture.js';

const tmp = useTmpDir();
let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const HOUR = 60 * MINUTE;
/** Saturday 24 October 2026, 21:30 in London (BST): the clocks go back at 02:00 that night. */
const SATURDAY_EVENING = Date.parse('2026-10-24T20:30:00Z');
/** 08:00 in London on Sunday 25 October, in GMT again: an hour later in UTC than 08:00 the day before. */
const SUNDAY_EIGHT = Date.parse('2026-10-25T08:00:00Z');

const quiet = (severity: string) =>
  estateWith(
    '',
    `  rules: { failures: { severity: ${severity} } }
  routes:
    - { channel: riverside-it, quietHours: { from: "18:30", to: "08:00" } }
`,
  );

describe('quiet hours', () => {
  it('hold a warning overnight across the October clock change and send it at 08:00, the resolved after it', async () => {
    const dir = tmp();
    running = await runAlerts(dir, quiet('warning'), SATURDAY_EVENING);
    await running.epr(false);
    expect(await running.outbox('riverside-it')).toEqual([]);
    expect(await running.timeline('held')).toEqual([
      expect.objectContaining({
        detail: { event: 'opened', channel: 'riverside-it', until: SUNDAY_EIGHT, text: 'held until 08:00' },
      }),
    ]);
    await running.timers.advance(HOUR);
    await running.epr(true);
    expect((await running.incident()).resolvedAt).not.toBeNull();
    expect(await running.outbox('riverside-it')).toEqual([]);
    // Stopped at 03:00 and started again: what is held is kept, not lost nor sent early.
    await running.timers.advance(4 * HOUR);
    await running.close();
    running = await runAlerts(dir, quiet('warning'), Date.parse('2026-10-25T03:00:00Z'));
    // 07:00 UTC was 08:00 the day before, in summer time: still quiet now.
    await running.timers.advance(SUNDAY_EIGHT - running.timers.now() - 30_000);
    expect(await running.outbox('riverside-it')).toEqual([]);
    await running.timers.advance(MINUTE);
    const sent = await running.outbox('riverside-it');
    expect(events(sent)).toEqual(['opened', 'resolved']);
    const notified = await running.timeline('notified');
    expect(notified.map((e) => e.detail)).toEqual([
      expect.objectContaining({ event: 'opened', channel: 'riverside-it', handedOver: true }),
      expect.objectContaining({ event: 'resolved', channel: 'riverside-it', handedOver: true }),
    ]);
    expect(notified.every((e) => e.at >= SUNDAY_EIGHT)).toBe(true);
    await running.timers.advance(HOUR);
    expect(events(await running.outbox('riverside-it'))).toEqual(['opened', 'resolved']);
  });

  it('send a held message once though it was handed over just before a stop and not yet forgotten', async () => {
    running = await runAlerts(tmp(), quiet('warning'), SATURDAY_EVENING);
    await running.epr(false);
    const [held] = await running.store.incidents.heldDue(SUNDAY_EIGHT);
    if (!held) throw new Error('nothing held');
    // What a stop between the hand-over and forgetting it leaves: the message in the outbox and still held.
    await running.store.notifications.enqueue(held.channel, held.message, running.timers.now());
    await running.timers.advance(SUNDAY_EIGHT - running.timers.now() + MINUTE);
    expect(events(await running.outbox('riverside-it'))).toEqual(['opened']);
    expect(await running.store.incidents.heldDue(SUNDAY_EIGHT + HOUR)).toEqual([]);
  });

  it('send a critical at once', async () => {
    running = await runAlerts(tmp(), quiet('critical'), SATURDAY_EVENING);
    await running.epr(false);
    expect(events(await running.outbox('riverside-it'))).toEqual(['opened']);
    expect(await running.timeline('held')).toEqual([]);
  });

  it('leave other channels and daytime alone', async () => {
    running = await runAlerts(tmp(), quiet('warning'), Date.parse('2026-10-24T10:00:00Z'));
    await running.epr(false);
    expect(events(await running.outbox('riverside-it'))).toEqual(['opened']);
  });

  it('count weekdays and times in London, and join a quiet night to a quiet weekend', () => {
    const weeknights = { days: [1, 2, 3, 4, 5], fromMinute: 18 * 60 + 30, toMinute: 8 * 60 };
    const iso = (at: string, q = weeknights) => {
      const until = quietUntil(q, Date.parse(at));
      return until === undefined ? undefined : new Date(until).toISOString();
    };
    expect(iso('2026-06-03T17:29:00Z')).toBeUndefined(); // 18:29 BST, Wednesday
    expect(iso('2026-06-03T17:31:00Z')).toBe('2026-06-04T07:00:00.000Z'); // to 08:00 BST
    expect(iso('2026-12-04T07:59:00Z')).toBe('2026-12-04T08:00:00.000Z'); // Friday morning, GMT
    expect(iso('2026-12-05T12:00:00Z')).toBeUndefined(); // Saturday: not a listed day
    expect(iso('2026-12-05T07:00:00Z')).toBe('2026-12-05T08:00:00.000Z'); // Friday night's, into Saturday
    const weekend = { days: [0, 5, 6], fromMinute: 0, toMinute: 0 };
    const both = { days: [0, 1, 2, 3, 4, 5, 6], fromMinute: 18 * 60 + 30, toMinute: 8 * 60 };
    expect(iso('2026-12-05T12:00:00Z', weekend)).toBe('2026-12-07T00:00:00.000Z');
    expect(iso('2026-10-24T21:00:00Z', both)).toBe('2026-10-25T08:00:00.000Z');
  });
});
