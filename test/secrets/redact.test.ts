import { describe, expect, it } from 'vitest';
import { redactor, resultRedactor } from '../../common/redact.js';

describe('redacting secrets from what is shown, stored and logged', () => {
  it('finds a value as it is, percent-encoded, JSON-escaped and cut short, the longest first', () => {
    const long = 'x'.repeat(20) + 'tail-of-a-long-token-0123456789'.repeat(4);
    const redact = redactor([
      { name: 'KEY', value: 'k3y' },
      { name: 'KEY_PLUS', value: 'k3y plus/more "quoted"' },
      { name: 'LONG', value: long },
    ]);
    expect(redact('k3y and k3y plus/more "quoted"')).toBe('${KEY} and ${KEY_PLUS}');
    expect(redact('GET /a?q=k3y%20plus%2Fmore%20%22quoted%22')).toBe('GET /a?q=${KEY_PLUS}');
    expect(redact('expected "k3y plus/more \\"quoted\\""')).toBe('expected "${KEY_PLUS}"');
    expect(redact(`$.token is 1, expected "${long.slice(0, 99)}…"`)).toBe(
      '$.token is 1, expected "${LONG}…"',
    );
    expect(redact('nothing secret here')).toBe('nothing secret here');
  });

  it('redacts what a result says, never its state or ids, and leaves one with no secret as it is', () => {
    const redact = resultRedactor([{ name: 'WORD', value: 'ok' }]);
    const result = { checkId: 'ok-check', state: 'ok', error: { class: 'assertion', message: 'not ok' } };
    expect(redact(result)).toEqual({
      checkId: 'ok-check',
      state: 'ok',
      error: { class: 'assertion', message: 'not ${WORD}' },
    });
    const plain: { state: string; error?: unknown } = { state: 'ok' };
    expect(redact(plain)).toBe(plain);
    expect(resultRedactor([])(result)).toBe(result);
  });
});
