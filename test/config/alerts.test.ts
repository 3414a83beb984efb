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
  routes:
    - { channel: riverside-it, escalateAfter: 30m, repeatEvery: 1h, quietHours: { from: "22:00", to: "07:00" } }
  escalation: [{ after: 30m, channels: [riverside-it] }]
  reminders: 1h
  quietHours: { from: "22:00" }
`;
    expect(errorsOf(yaml)).toEqual([
      '22:14: alerts.rules.latency: the latency rule is not supported yet: latency is reported against principles on the dashboard, not alerted on',
      '23:15: alerts.rules.burnRate: the error-budget burn-rate rule is not supported yet: use the failures rule',
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
});
