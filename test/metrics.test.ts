import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../runs/record.js';
import type { Check, System } from '../server/config/schema.js';
import { ProbeMetrics } from '../server/metrics.js';

const check = { id: 'epr-login', system: 'epr', type: 'http', target: 'https://epr.example.org/' } as Check;
const system = { id: 'epr', name: 'EPR', owner: 'riverside' } as System;
const okRun: RunRecord = {
  checkId: 'epr-login',
  vantagePoint: 'st-annes',
  startedAt: 0,
  state: 'ok',
  status: 200,
  phases: { dnsMs: 2, connectMs: 4, tlsMs: 10, ttfbMs: 120, transferMs: 4, totalMs: 140 },
  details: {
    certificate: {
      subject: 'CN=epr',
      issuer: 'CN=ca',
      validFrom: '2026-01-01T00:00:00.000Z',
      validTo: '2027-01-01T00:00:00.000Z',
      daysToExpiry: 38,
    },
  },
};

/** The value of one series in Prometheus text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (Object.keys(labels).length === 0 && line.startsWith(`${name} `))
      return Number(line.slice(name.length + 1));
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries([...body.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (
      Object.entries(labels).every(([k, v]) => found[k] === v) &&
      Object.keys(found).length === Object.keys(labels).length
    ) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

describe('/metrics series', () => {
  const labels = { check: 'epr-login', site: 'st-annes', system: 'epr', organisation: 'riverside' };

  it('shows the newest run of a series even when an agent reports an older one later, with no lateness', async () => {
    const metrics = new ProbeMetrics(undefined, { processMetrics: false });
    metrics.observe({ ...okRun, startedAt: 120_000 }, check, system);
    metrics.observe({ ...okRun, startedAt: 60_000, state: 'fail', status: 503 }, check, system);
    const text = await metrics.registry.metrics();
    expect(sample(text, 'probe_success', labels)).toBe(1);
    expect(sample(text, 'probe_http_status_code', labels)).toBe(200);
    expect(sample(text, 'vantage_check_runs_total', { result: 'fail' })).toBe(1);
    expect(sample(text, 'vantage_scheduler_lateness_seconds_count', {})).toBe(0);
  });

  it('publishes blackbox_exporter-named probe series with check, site, system and organisation', async () => {
    const metrics = new ProbeMetrics(undefined, { processMetrics: false });
    metrics.observe(okRun, check, system, 250);
    metrics.observe({ ...okRun, vantagePoint: 'marsh-lane', state: 'fail', status: 503 }, check, system, 0);
    const text = await metrics.registry.metrics();
    expect(sample(text, 'probe_success', labels)).toBe(1);
    expect(sample(text, 'probe_success', { ...labels, site: 'marsh-lane' })).toBe(0);
    expect(sample(text, 'probe_duration_seconds', labels)).toBeCloseTo(0.14, 6);
    expect(sample(text, 'probe_http_duration_seconds', { ...labels, phase: 'processing' })).toBeCloseTo(
      0.12,
      6,
    );
    expect(sample(text, 'probe_http_duration_seconds', { ...labels, phase: 'resolve' })).toBeCloseTo(
      0.002,
      6,
    );
    expect(sample(text, 'probe_http_status_code', { ...labels, site: 'marsh-lane' })).toBe(503);
    expect(sample(text, 'probe_ssl_earliest_cert_expiry', labels)).toBe(
      Date.parse('2027-01-01T00:00:00Z') / 1000,
    );
    expect(sample(text, 'vantage_check_runs_total', { result: 'ok' })).toBe(1);
    expect(sample(text, 'vantage_check_runs_total', { result: 'fail' })).toBe(1);
    expect(sample(text, 'vantage_check_runs_total', { result: 'skipped' })).toBe(0);
    expect(sample(text, 'vantage_scheduler_lateness_seconds_count', {})).toBe(2);
    expect(sample(text, 'vantage_scheduler_lateness_seconds_bucket', { le: '0.1' })).toBe(1);
    expect(sample(text, 'vantage_scheduler_lateness_seconds_bucket', { le: '0.25' })).toBe(2);
  });

  it('removes the series of checks that leave the estate', async () => {
    const metrics = new ProbeMetrics(undefined, { processMetrics: false });
    metrics.observe(okRun, check, system, 0);
    metrics.observe({ ...okRun, checkId: 'other' }, { ...check, id: 'other' } as Check, system, 0);
    metrics.retain(new Set(['other']));
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('check="epr-login"');
    expect(sample(text, 'probe_success', { ...labels, check: 'other' })).toBe(1);
  });
});
