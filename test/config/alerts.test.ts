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
      latency: {
        enabled: true,
        percentile: 95,
        overMs: undefined,
        forMs: 600_000,
        minSlowRuns: 3,
        severity: 'warning',
      },
      burnRate: {
        enabled: true,
        principles: 'all',
        minBadRuns: 3,
        severity: { '1h': 'critical', '6h': 'critical', '1d': 'warning', '3d': 'warning' },
      },
      routes: [],
      escalate: [],
      remindMs: undefined,
      localisationGraceMs: undefined,
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

  it('refuses quiet hours given for every channel at once, saying where they belong', () => {
    const yaml = `${withChannel}alerts:
  quietHours: { from: "22:00", to: "07:00" }
`;
    expect(errorsOf(yaml)).toEqual([
      '21:15: alerts.quietHours: quiet hours are set per channel: give them under alerts.routes, with the channel',
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

  it('takes the latency and burn-rate rules, and names their bad values where they are', () => {
    const good = `${withChannel}alerts:
  rules:
    latency: { percentile: 99, over: 3s, for: 15m, minSlowRuns: 5, severity: critical }
    burnRate: { minBadRuns: 4, severity: { 3d: info } }
  routes:
    - { channel: riverside-it, rules: [latency, burnRate] }
`;
    expect(errorsOf(good)).toEqual([]);
    expect(alertSettings(estateFrom(good).alerts)).toMatchObject({
      latency: { percentile: 99, overMs: 3_000, forMs: 900_000, minSlowRuns: 5, severity: 'critical' },
      burnRate: { principles: 'all', minBadRuns: 4, severity: { '1h': 'critical', '3d': 'info' } },
    });
    const bad = `${withChannel}alerts:
  rules:
    latency: { percentile: 20, over: soon, for: 10s, within: 5m }
    burnRate: { principles: [nope], minBadRuns: 0, severity: { 2h: critical } }
`;
    expect(errorsOf(bad)).toEqual([
      '22:28: alerts.rules.latency.percentile: must be at least 50',
      "22:38: alerts.rules.latency.over: invalid duration 'soon': use a whole number above zero followed by ms, s, m, h or d (500ms, 30s, 5m, 2h, 1d)",
      '22:49: alerts.rules.latency.for: must be at least 1m, not 10s',
      "22:54: alerts.rules.latency.within: unknown key 'within'",
      "23:30: alerts.rules.burnRate.principles[0]: unknown principle 'nope'",
      '23:49: alerts.rules.burnRate.minBadRuns: must be at least 1',
      "23:64: alerts.rules.burnRate.severity.2h: unknown key '2h' (did you mean '1h'?)",
    ]);
  });

  it('reads availability and latency principles for burn rates, and says why not another', () => {
    const yaml = `${withChannel}principles:
  - { id: epr-fast, title: EPR answers fast, metric: latency, target: 2s }
  - { id: certs, title: Certificates, metric: certificate-expiry, target: 14 }
alerts:
  rules:
    burnRate: { principles: [epr-fast, certs] }
`;
    expect(errorsOf(yaml)).toEqual([
      "25:40: alerts.rules.burnRate.principles[1]: principle 'certs' measures certificate-expiry, which has no error budget to burn: the burn-rate rule reads availability and latency principles only",
    ]);
  });
});
