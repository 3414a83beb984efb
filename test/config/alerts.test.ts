import { describe, expect, it } from 'vitest';
import { alertSettings } from '../../server/alerts/config.js';
import { parseEstate } from '../../server/config/load.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';

function errorsOf(yaml: string): string[] {
  const result = parseEstate(yaml, 'estate.yaml', {});
  return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
}

const withChannel = `${smallEstateYaml}channels:
  - { id: riverside-it, organisation: riverside, type: webhook, url: https://hooks.example.org/it }
`;

describe('the alerts section of the estate file', () => {
  it('has defaults, so an estate with only channels already alerts', () => {
    const settings = alertSettings(estateFrom(withChannel).alerts);
    expect(settings).toEqual({
      failures: { enabled: true, after: 3, recoverAfter: 2, severity: 'critical' },
      agentSilent: { enabled: true, afterMs: 600_000, severity: 'warning' },
      certificate: { enabled: true, withinMs: 14 * 86_400_000, severity: 'warning' },
      routes: [],
      escalate: [],
      remindMs: undefined,
      copyCommissioner: false,
      giveUpAfterMs: 86_400_000,
      dashboardUrl: undefined,
    });
  });

  it('takes every rule, route and setting it acts on', () => {
    const yaml = `${withChannel}alerts:
  rules:
    failures: { after: 5, recoverAfter: 3, severity: warning }
    agentSilent: { after: 30m }
    certificate: { within: 21d, enabled: false }
  routes:
    - { channel: riverside-it, rules: [failures], severities: [critical] }
  copyCommissioner: true
  delivery: { giveUpAfter: 12h }
`;
    expect(errorsOf(yaml)).toEqual([]);
    expect(alertSettings(estateFrom(yaml).alerts)).toMatchObject({
      failures: { after: 5, recoverAfter: 3, severity: 'warning' },
      agentSilent: { afterMs: 1_800_000 },
      certificate: { enabled: false, withinMs: 21 * 86_400_000 },
      routes: [{ channel: 'riverside-it', rules: ['failures'], severities: ['critical'] }],
      copyCommissioner: true,
      giveUpAfterMs: 43_200_000,
    });
  });

  it('refuses what it cannot act on yet, by name and line, rather than ignoring it', () => {
    const yaml = `${withChannel}alerts:
  rules:
    latency: { over: 3s, for: 5m }
    burnRate: { window: 30d }
  quietHours: { from: "22:00", to: "07:00" }
`;
    expect(errorsOf(yaml)).toEqual([
      '22:14: alerts.rules.latency: the latency rule is not supported yet: latency is reported against principles on the dashboard, not alerted on',
      '23:15: alerts.rules.burnRate: the error-budget burn-rate rule is not supported yet: use the failures rule',
      '24:15: alerts.quietHours: quiet hours are set per channel: give them under alerts.routes, with the channel',
    ]);
  });

  it('takes escalation, reminders and quiet hours, with London times and days', () => {
    const yaml = `${withChannel}  - { id: trust-oncall, organisation: riverside, type: webhook, url: https://hooks.example.org/oncall }
alerts:
  routes:
    - channel: riverside-it
      quietHours: { days: [mon, tue, wed, thu, fri], from: "18:30", to: "08:00" }
    - { channel: trust-oncall, quietHours: { from: "00:00", to: "00:00" } }
  escalate:
    - { after: 30m, channels: [trust-oncall] }
    - { after: 2h, channels: [riverside-it, trust-oncall], organisations: [riverside], severities: [critical] }
  remind: 2h
`;
    expect(errorsOf(yaml)).toEqual([]);
    expect(alertSettings(estateFrom(yaml).alerts)).toMatchObject({
      routes: [
        { channel: 'riverside-it', quietHours: { days: [1, 2, 3, 4, 5], fromMinute: 1110, toMinute: 480 } },
        { channel: 'trust-oncall', quietHours: { days: [0, 1, 2, 3, 4, 5, 6], fromMinute: 0, toMinute: 0 } },
      ],
      escalate: [
        { afterMs: 1_800_000, channels: ['trust-oncall'] },
        {
          afterMs: 7_200_000,
          channels: ['riverside-it', 'trust-oncall'],
          organisations: ['riverside'],
          severities: ['critical'],
        },
      ],
      remindMs: 7_200_000,
    });
  });

  it('names bad escalation, reminders and quiet hours where they are', () => {
    const yaml = `${withChannel}alerts:
  routes:
    - { channel: riverside-it, quietHours: { days: [monday], from: "6pm", to: "24:00", every: 1d } }
  escalate:
    - { after: 30m, channels: [trust-on-call] }
    - { after: 10, channels: [], organisations: [riversid] }
    - { channels: [riverside-it] }
  remind: 1m
`;
    expect(errorsOf(yaml)).toEqual([
      "22:53: alerts.routes[0].quietHours.days[0]: 'monday' is not one of sun, mon, tue, wed, thu, fri, sat",
      '22:68: alerts.routes[0].quietHours.from: must be a time such as "18:30", from 00:00 to 23:59',
      '22:79: alerts.routes[0].quietHours.to: must be a time such as "18:30", from 00:00 to 23:59',
      "22:88: alerts.routes[0].quietHours.every: unknown key 'every'",
      "24:32: alerts.escalate[0].channels[0]: unknown channel 'trust-on-call'",
      '25:16: alerts.escalate[1].after: expected a string, got the number 10',
      '25:30: alerts.escalate[1].channels: must list at least 1 item',
      "25:50: alerts.escalate[1].organisations[0]: unknown organisation 'riversid' (did you mean 'riverside'?)",
      "26:7: alerts.escalate[2]: missing required field 'after'",
      '27:11: alerts.remind: must be at least 5m, not 1m',
    ]);
  });

  it('names bad values and unknown channels where they are', () => {
    const yaml = `${withChannel}alerts:
  rules:
    failures: { after: 0, severity: loud }
    agentSilent: { after: 10 }
    certificates: { within: 14d }
  routes:
    - { channel: riverside-itt }
`;
    const errors = errorsOf(yaml);
    expect(errors).toContain('22:24: alerts.rules.failures.after: must be at least 1');
    expect(errors).toContain(
      "22:37: alerts.rules.failures.severity: 'loud' is not one of critical, warning, info",
    );
    expect(errors).toContain('23:27: alerts.rules.agentSilent.after: expected a string, got the number 10');
    expect(errors).toContain(
      "24:5: alerts.rules.certificates: unknown key 'certificates' (did you mean 'certificate'?)",
    );
    expect(errors).toContain(
      "26:18: alerts.routes[0].channel: unknown channel 'riverside-itt' (did you mean 'riverside-it'?)",
    );
  });
});
