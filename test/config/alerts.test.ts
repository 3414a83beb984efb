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
    failures: {}
    burnRate: {}
  routes:
    - { channel: riverside-it, escalateAfter: 30m, repeatEvery: 1h, quietHours: { from: "22:00", to: "07:00" } }
  escalation: [{ after: 30m, channels: [riverside-it] }]
  reminders: 1h
  quietHours: { from: "22:00" }
`;
    expect(errorsOf(yaml)).toEqual([
      '25:47: alerts.routes[0].escalateAfter: escalation is not supported yet: every message goes to the channels of the organisation responsible',
      '25:65: alerts.routes[0].repeatEvery: reminders is not supported yet: a message is sent when an incident opens, is acknowledged and resolves',
      '25:81: alerts.routes[0].quietHours: quiet hours is not supported yet: every message is sent when it happens',
      '26:15: alerts.escalation: escalation is not supported yet: every message goes to the channels of the organisation responsible',
      '27:14: alerts.reminders: reminders is not supported yet: a message is sent when an incident opens, is acknowledged and resolves',
      '28:15: alerts.quietHours: quiet hours is not supported yet: every message is sent when it happens',
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

  it('reads availability principles only for burn rates, and says why', () => {
    const yaml = `${withChannel}principles:
  - { id: epr-fast, title: EPR answers fast, metric: latency, target: 2s }
alerts:
  rules:
    burnRate: { principles: [epr-fast] }
`;
    expect(errorsOf(yaml)).toEqual([
      "24:30: alerts.rules.burnRate.principles[0]: principle 'epr-fast' measures latency: the burn-rate rule reads availability principles only (the latency rule alerts on latency)",
    ]);
  });
});
