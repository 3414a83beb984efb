import { describe, expect, it } from 'vitest';
import { probe } from './run.js';
import { type DnsRecords, useServers } from './servers.js';

const servers = useServers();

const records: DnsRecords = {
  'epr.example.org': [
    { type: 'A', data: '10.0.0.1' },
    { type: 'A', data: '10.0.0.2' },
    { type: 'AAAA', data: '2001:db8::1' },
    { type: 'MX', data: { preference: 10, exchange: 'mail.example.org' } },
    // One TXT record in two strings, as long SPF records are sent.
    { type: 'TXT', data: ['v=spf1 ', 'include:example.org -all'] },
  ],
  'www.example.org': [{ type: 'CNAME', data: 'epr.example.org' }],
};

describe('dns probe', () => {
  it('answers each record type as text', async () => {
    const server = await servers.dns(records);
    const cases = [
      ['A', 'epr.example.org', ['10.0.0.1', '10.0.0.2']],
      ['AAAA', 'epr.example.org', ['2001:db8::1']],
      ['CNAME', 'www.example.org', ['epr.example.org']],
      ['MX', 'epr.example.org', ['10 mail.example.org']],
      ['TXT', 'epr.example.org', ['v=spf1 include:example.org -all']],
    ] as const;
    for (const [record, target, answers] of cases) {
      const result = await probe({ type: 'dns', target, record, server: server.origin });
      expect(result.error, record).toBeUndefined();
      expect(result.details?.answers, record).toEqual(answers);
      expect(result.phases.dnsMs, record).toBeGreaterThan(0);
      expect(result.phases.connectMs, record).toBeNull();
    }
  });

  it('defaults to A and checks the expected answers are among those given', async () => {
    const server = await servers.dns(records);
    const found = await probe({
      type: 'dns',
      target: 'epr.example.org',
      server: server.origin,
      expect: { answers: ['10.0.0.2'] },
    });
    expect(found.ok).toBe(true);
    expect(found.details?.address).toBe(server.origin);
    const missing = await probe({
      type: 'dns',
      target: 'epr.example.org',
      server: server.origin,
      expect: { answers: ['10.0.0.1', '10.9.9.9'] },
    });
    expect(missing.error).toEqual({
      class: 'assertion',
      message: 'expected A answer 10.9.9.9 is missing for epr.example.org (got 10.0.0.1, 10.0.0.2)',
    });
  });

  it('fails a name that does not exist with class dns, naming the server', async () => {
    const server = await servers.dns(records);
    const result = await probe({ type: 'dns', target: 'nope.example.org', server: server.origin });
    expect(result.error).toEqual({
      class: 'dns',
      message: `nope.example.org does not exist (NXDOMAIN) at ${server.origin}`,
    });
  });

  it('fails a name without records of the type asked for', async () => {
    const server = await servers.dns(records);
    const result = await probe({
      type: 'dns',
      target: 'www.example.org',
      record: 'MX',
      server: server.origin,
    });
    expect(result.error?.class).toBe('dns');
  });
});
