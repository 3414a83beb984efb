import { afterEach, describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/tmp.js';
import { MINUTE, T0 } from './fixture.js';
import { estateWith, events, type Running, runAlerts } from './follow-ups-fixture.js';

const tmp = useTmpDir();
let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const HOUR = 60 * MINUTE;
// The commissioner's on-call: not told of incidents (no copy to commissioners) until escalation.
const oncall =
  '  - { id: trust-oncall, organisation: icb, type: webhook, url: https://hooks.example.org/oncall }\n';
const escalating = estateWith(oncall, '  escalate:\n    - { after: 30m, channels: [trust-oncall] }\n');

describe('escalation', () => {
  it('tells the further channels once an incident is 30 minutes unacknowledged, once, and then how it ends', async () => {
    running = await runAlerts(tmp(), escalating);
    const r = running;
    await r.epr(false);
    expect(events(await r.outbox('riverside-it'))).toEqual(['opened']);
    await r.timers.advance(29 * MINUTE);
    expect(await r.outbox('trust-oncall')).toEqual([]);
    await r.timers.advance(2 * MINUTE);
    const [escalated] = await r.outbox('trust-oncall');
    expect(escalated).toMatchObject({
      event: 'escalated',
      alert: { responsible: { organisation: 'riverside' } },
    });
    expect(escalated?.idempotencyKey).toBe(`${(await r.incident()).id}:escalated:trust-oncall:step1`);
    expect(await r.timeline('escalated')).toEqual([
      expect.objectContaining({ detail: { step: 1, after: '30m', channels: ['trust-oncall'] } }),
    ]);
    await r.timers.advance(2 * HOUR);
    expect(events(await r.outbox('trust-oncall'))).toEqual(['escalated']);
    await r.epr(true);
    expect(events(await r.outbox('trust-oncall'))).toEqual(['escalated', 'resolved']);
    expect(events(await r.outbox('riverside-it'))).toEqual(['opened', 'resolved']);
  });

  it('does not escalate an incident acknowledged in time, nor one resolved', async () => {
    running = await runAlerts(tmp(), escalating);
    const r = running;
    await r.epr(false);
    await r.timers.advance(10 * MINUTE);
    await r.acknowledge();
    await r.timers.advance(HOUR);
    expect(await r.outbox('trust-oncall')).toEqual([]);
    expect(await r.timeline('escalated')).toEqual([]);
    expect(events(await r.outbox('riverside-it'))).toEqual(['opened', 'acknowledged']);
  });

  it('takes only the steps whose organisations and severities match', async () => {
    const yaml = estateWith(
      oncall,
      '  escalate:\n    - { after: 30m, channels: [trust-oncall], organisations: [eastfield] }\n    - { after: 1h, channels: [trust-oncall], severities: [critical] }\n',
    );
    running = await runAlerts(tmp(), yaml);
    const r = running;
    await r.epr(false);
    await r.timers.advance(45 * MINUTE);
    expect(await r.outbox('trust-oncall')).toEqual([]);
    await r.timers.advance(16 * MINUTE);
    expect((await r.outbox('trust-oncall')).map((m) => m.idempotencyKey.split(':').pop())).toEqual(['step2']);
  });

  it('neither loses nor repeats an escalation across restarts mid-wait', async () => {
    const dir = tmp();
    running = await runAlerts(dir, escalating);
    await running.epr(false);
    await running.timers.advance(10 * MINUTE);
    await running.close();
    // Down from minute 10 to minute 40: the step fell due while the server was stopped.
    running = await runAlerts(dir, escalating, T0 + 40 * MINUTE);
    expect(await running.outbox('trust-oncall')).toEqual([]);
    await running.timers.advance(MINUTE);
    expect(events(await running.outbox('trust-oncall'))).toEqual(['escalated']);
    await running.close();
    running = await runAlerts(dir, escalating, T0 + 45 * MINUTE);
    await running.timers.advance(HOUR);
    expect(events(await running.outbox('trust-oncall'))).toEqual(['escalated']);
    expect(await running.timeline('escalated')).toHaveLength(1);
  });
});

describe('reminders', () => {
  const reminding = estateWith('', '  remind: 2h\n');

  it('re-notify at the interval while unacknowledged, and stop once resolved', async () => {
    running = await runAlerts(tmp(), reminding);
    const r = running;
    await r.epr(false);
    await r.timers.advance(2 * HOUR - MINUTE);
    expect(events(await r.outbox('riverside-it'))).toEqual(['opened']);
    await r.timers.advance(2 * MINUTE);
    expect(events(await r.outbox('riverside-it'))).toEqual(['opened', 'reminder']);
    await r.timers.advance(2 * HOUR);
    const messages = await r.outbox('riverside-it');
    expect(events(messages)).toEqual(['opened', 'reminder', 'reminder']);
    expect(messages.map((m) => m.idempotencyKey.split(':').pop())).toEqual(['riverside-it', '1', '2']);
    expect((await r.timeline('reminded')).map((e) => e.detail)).toEqual([
      { nth: 1, every: '2h' },
      { nth: 2, every: '2h' },
    ]);
    await r.epr(true);
    await r.timers.advance(6 * HOUR);
    expect(events(await r.outbox('riverside-it'))).toEqual(['opened', 'reminder', 'reminder', 'resolved']);
  });

  it('stop once acknowledged: someone is on it', async () => {
    running = await runAlerts(tmp(), reminding);
    const r = running;
    await r.epr(false);
    await r.timers.advance(2 * HOUR + MINUTE);
    await r.acknowledge();
    await r.timers.advance(6 * HOUR);
    expect(events(await r.outbox('riverside-it'))).toEqual(['opened', 'reminder', 'acknowledged']);
  });

  it('send one reminder, not one per interval, for those that fell due while stopped', async () => {
    const dir = tmp();
    running = await runAlerts(dir, reminding);
    await running.epr(false);
    await running.close();
    running = await runAlerts(dir, reminding, T0 + 7 * HOUR);
    await running.timers.advance(MINUTE);
    const messages = await running.outbox('riverside-it');
    expect(messages.map((m) => m.idempotencyKey.split(':').pop())).toEqual(['riverside-it', '3']);
  });
});

describe('escalation and a restart', () => {
  it('tells the channels a step reached how the incident ends, though the server restarted since', async () => {
    const dir = tmp();
    running = await runAlerts(dir, escalating);
    await running.epr(false);
    await running.timers.advance(31 * MINUTE);
    await running.close();
    running = await runAlerts(dir, escalating, T0 + 32 * MINUTE);
    await running.epr(true);
    expect(events(await running.outbox('trust-oncall'))).toEqual(['escalated', 'resolved']);
  });
});
