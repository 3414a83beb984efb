import { describe, expect, it } from 'vitest';
import { expiryText } from '../../probes/certificate.js';
import { classifyError } from '../../probes/classify.js';
import { readJsonPath } from '../../probes/json-path.js';
import type { CertificateFacts } from '../../probes/result.js';
import { runProbe } from '../../probes/run.js';
import { stateOf } from '../../probes/state.js';
import { emptyPhases, sumPhases } from '../../probes/timing.js';
import type { Check } from '../../server/config/schema.js';

describe('readJsonPath', () => {
  const body = { status: 'up', items: [{ name: 'db' }, null], 'x-y': 0 };
  it.each([
    ['$', body],
    ['$.status', 'up'],
    ['$.items[0].name', 'db'],
    ['$.items[1]', null],
    ['$.x-y', 0],
  ])('finds %s', (path, value) => {
    expect(readJsonPath(body, path)).toEqual({ found: true, value });
  });
  it.each(['$.missing', '$.items[2]', '$.status.length', '$.items.name', '$[0]'])(
    'does not find %s',
    (path) => {
      expect(readJsonPath(body, path)).toEqual({ found: false });
    },
  );
});

describe('sumPhases', () => {
  it('adds each phase over the hops, leaves one no hop had null, and keeps the wall time as total', () => {
    const first = { ...emptyPhases(), connectMs: 1.5, ttfbMs: 10, transferMs: 1 };
    const second = { ...emptyPhases(), dnsMs: 2, connectMs: 0.5, tlsMs: 3, ttfbMs: 20, transferMs: 2 };
    expect(sumPhases([first, second], 40.12345)).toEqual({
      dnsMs: 2,
      connectMs: 2,
      tlsMs: 3,
      ttfbMs: 30,
      transferMs: 3,
      totalMs: 40.123,
    });
    expect(sumPhases([emptyPhases()], 1)).toEqual({ ...emptyPhases(), totalMs: 1 });
  });
});

describe('stateOf', () => {
  it('is fail on a failure, degraded over the threshold, else ok', () => {
    expect(stateOf(true, 10, 5)).toBe('fail');
    expect(stateOf(false, 10, 5)).toBe('degraded');
    expect(stateOf(false, 5, 5)).toBe('ok');
    expect(stateOf(false, 10_000, undefined)).toBe('ok');
  });
});

describe('expiryText', () => {
  const facts = (daysToExpiry: number): CertificateFacts => ({
    subject: 'CN=a',
    issuer: 'CN=b',
    validFrom: '2026-01-01T00:00:00.000Z',
    validTo: '2026-11-27T12:00:00.000Z',
    daysToExpiry,
  });
  it.each([
    [30.9, 'expires in 30 days (2026-11-27)'],
    [1.2, 'expires in 1 day (2026-11-27)'],
    [0.5, 'expires within a day (2026-11-27)'],
    [-0.5, 'expired less than a day ago (2026-11-27)'],
    [-1.5, 'expired 1 day ago (2026-11-27)'],
    [-3.04, 'expired 3 days ago (2026-11-27)'],
  ])('%s days', (days, text) => {
    expect(expiryText(facts(days))).toBe(text);
  });
});

describe('classifyError', () => {
  const where = { address: '10.1.2.3:443', stage: 'waiting for the first byte' };
  const error = (code: string, message = code) => Object.assign(new Error(message), { code });
  it.each([
    ['ECONNREFUSED', 'refused', 'connection refused by 10.1.2.3:443'],
    ['ECONNRESET', 'reset', 'connection reset by 10.1.2.3:443 (waiting for the first byte)'],
    ['EHOSTUNREACH', 'unreachable', 'no route to 10.1.2.3:443 (host unreachable)'],
    ['ENETUNREACH', 'unreachable', 'no route to 10.1.2.3:443 (network unreachable)'],
    ['ETIMEDOUT', 'timeout', 'connecting to 10.1.2.3:443 timed out'],
    ['ENOTFOUND', 'dns', 'DNS lookup failed: not found'],
  ])('%s is %s', (code, errorClass, message) => {
    expect(classifyError(error(code), where)).toEqual({ class: errorClass, message });
  });
  it('keeps the reason of an OpenSSL error and names unknown errors as unexpected', () => {
    const ssl = error(
      'ERR_SSL_WRONG_VERSION_NUMBER',
      'C0:error:0A00010B:SSL routines:ssl_get_record:wrong version number:../x.c:350:',
    );
    expect(classifyError(ssl, where)).toEqual({
      class: 'tls',
      message: 'TLS handshake with 10.1.2.3:443 failed: wrong version number',
    });
    expect(classifyError(new Error('boom'), where)).toEqual({
      class: 'invalid',
      message: 'unexpected error waiting for the first byte: boom',
    });
  });
});

describe('runProbe', () => {
  it('returns a failed result, never throws, for a check that slipped past the schema', async () => {
    const broken = { id: 'x', system: 'x', type: 'http', target: 'not a url' } as Check;
    const result = await runProbe(broken, AbortSignal.timeout(1000));
    expect(result).toMatchObject({ ok: false, state: 'fail', error: { class: 'invalid' } });
    expect(result.error?.message).toMatch(/Invalid URL/);
    const unknown = { id: 'x', system: 'x', type: 'icmp', target: 'x' } as unknown as Check;
    const failed = await runProbe(unknown, AbortSignal.timeout(1000));
    expect(failed).toMatchObject({ ok: false, error: { class: 'invalid' } });
  });
});
