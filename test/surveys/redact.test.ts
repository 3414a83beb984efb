import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, redact } from '../../surveys/redact.js';

/** The check digit for nine digits, or null where the check gives 10 and no NHS number exists. */
function checkDigit(nine: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  return check === 10 ? null : check % 11;
}

function withCheck(nine: string): string {
  const check = checkDigit(nine);
  if (check === null) throw new Error(`${nine} has no valid check digit`);
  return `${nine}${check}`;
}

const nine = fc.stringMatching(/^\d{9}$/).filter((s) => checkDigit(s) !== null);

function validTenDigitRuns(text: string): string[] {
  const found: string[] = [];
  for (const run of text.match(/\d{10,}/g) ?? []) {
    for (let i = 0; i + 10 <= run.length; i++) {
      const window = run.slice(i, i + 10);
      if (isValidNhsNumber(window)) found.push(window);
    }
  }
  return found;
}

describe('redact: NHS numbers', () => {
  it('checks the modulus-11 check digit', () => {
    expect(withCheck('943476591')).toBe('9434765919');
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('943476591a')).toBe(false);
    // 123456789: the weighted sum gives a check of 10, so no number starting with it is valid.
    expect(checkDigit('123456789')).toBeNull();
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`123456789${d}`)).toBe(false);
  });

  it('removes a valid NHS number written unbroken, with spaces or with hyphens', () => {
    const number = withCheck('401023213');
    const [a, b, c] = [number.slice(0, 3), number.slice(3, 6), number.slice(6)];
    for (const written of [number, `${a} ${b} ${c}`, `${a}-${b}-${c}`]) {
      expect(redact(`Patient ${written} could not be found.`)).toEqual({
        text: 'Patient [NHS number removed] could not be found.',
        redactions: { nhsNumbers: 1, emails: 0, phones: 0 },
      });
    }
    expect(redact('(9434765919)').text).toBe('([NHS number removed])');
    expect(redact('NHS no:943 476 5919.').text).toBe('NHS no:[NHS number removed].');
  });

  it('leaves ten digits that fail the check alone', () => {
    for (const text of ['Ref 9434765918 failed', 'Ref 943 476 5918 failed', 'Ref 943-476-5910 failed']) {
      expect(redact(text)).toEqual({ text, redactions: { nhsNumbers: 0, emails: 0, phones: 0 } });
    }
  });

  it('removes a longer run of digits that holds a valid NHS number', () => {
    expect(redact('typed 94347659190 twice').text).toBe('typed [NHS number removed] twice');
    expect(validTenDigitRuns('12345678901234')).toEqual([]);
    expect(redact('order 12345678901234').text).toBe('order 12345678901234');
  });
});

describe('redact: emails and phone numbers', () => {
  it('removes email addresses', () => {
    expect(redact('Email jane.smith+it@nhs.net or a_b@trust.nhs.uk.')).toEqual({
      text: 'Email [email removed] or [email removed].',
      redactions: { nhsNumbers: 0, emails: 2, phones: 0 },
    });
    expect(redact('9434765919@example.org').text).toBe('[email removed]');
  });

  it.each([
    '07700 900123',
    '07700900123',
    '+44 7700 900123',
    '+447700900123',
    '0044 7700 900123',
    '+44 (0)20 7946 0018',
    '020 7946 0018',
    '(020) 7946 0018',
    '0161 496 0000',
    '(0161) 496 0000',
    '01632 960 123',
    '01632 960123',
    '0800 123 456',
    '020-7946-0018',
  ])('removes the phone number %s whole', (phone) => {
    expect(redact(`Call ${phone} now`)).toEqual({
      text: 'Call [phone number removed] now',
      redactions: { nhsNumbers: 0, emails: 0, phones: 1 },
    });
  });

  it('keeps a bracket that only opens round a phone number', () => {
    expect(redact('(07700 900123)').text).toBe('([phone number removed])');
  });

  it('does not take part of an 11-digit phone number for an NHS number, nor the reverse', () => {
    // `inside` passes the check on its own; with a 0 in front it is an 11-digit phone number.
    const inside = withCheck('161496000');
    expect(redact(`0${inside}`)).toEqual({
      text: '[phone number removed]',
      redactions: { nhsNumbers: 0, emails: 0, phones: 1 },
    });
    expect(redact(`+44 ${inside.slice(0, 3)} ${inside.slice(3, 6)} ${inside.slice(6)}`).redactions).toEqual({
      nhsNumbers: 0,
      emails: 0,
      phones: 1,
    });
    // A ten-digit number beginning 0 that fails the check is a phone number.
    expect(isValidNhsNumber('0123456788')).toBe(false);
    expect(redact('0123456788').text).toBe('[phone number removed]');
  });

  it('redacts each kind in mixed text and keeps the rest as written', () => {
    const text =
      'Logged a call (ref INC-4411) for 943 476 5919 — ring me on 07700 900123 or\nemail bob@nhs.net. Wi-Fi: 5/10!';
    expect(redact(text)).toEqual({
      text: 'Logged a call (ref INC-4411) for [NHS number removed] — ring me on [phone number removed] or\nemail [email removed]. Wi-Fi: 5/10!',
      redactions: { nhsNumbers: 1, emails: 1, phones: 1 },
    });
  });

  it('returns text with nothing to redact unchanged', () => {
    for (const text of [
      '',
      'Printing takes 2–5 min at 10:30 on 12/03/2024.',
      'Room 101, bay 4; 3 of 12 PCs work. Version 2.10.1234',
      'Ümlauts, emoji 🙂 and a lone @ sign.',
    ]) {
      expect(redact(text)).toEqual({ text, redactions: { nhsNumbers: 0, emails: 0, phones: 0 } });
    }
  });
});

describe('redact: properties', () => {
  const piece = fc.oneof(
    fc.string(),
    fc.stringMatching(/^[\d \-()+]{0,30}$/),
    nine.map(withCheck),
    nine.map((s) => {
      const n = withCheck(s);
      return `${n.slice(0, 3)} ${n.slice(3, 6)}-${n.slice(6)}`;
    }),
    fc.constantFrom('@', 'a@b.co', ' ', '0', '+44', '(', ')', '-', 'x'),
  );
  const text = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));

  it('never throws, never leaves ten digits in a row that pass the check, and marks each removal', () => {
    const times = (text: string, note: string) => text.split(note).length - 1;
    fc.assert(
      fc.property(text, (input) => {
        const { text: out, redactions } = redact(input);
        expect(validTenDigitRuns(out)).toEqual([]);
        // Each removal counted leaves its note where it was.
        expect(times(out, '[NHS number removed]')).toBeGreaterThanOrEqual(redactions.nhsNumbers);
        expect(times(out, '[email removed]')).toBeGreaterThanOrEqual(redactions.emails);
        expect(times(out, '[phone number removed]')).toBeGreaterThanOrEqual(redactions.phones);
      }),
      { numRuns: 2000 },
    );
  });

  it('never leaves a valid NHS number grouped 3-3-4', () => {
    fc.assert(
      fc.property(text, (input) => {
        for (const match of redact(input).text.matchAll(/(?<!\d)\d{3}[ -]\d{3}[ -]\d{4}(?!\d)/g)) {
          expect(isValidNhsNumber(match[0].replace(/\D/g, ''))).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('removes every valid NHS number placed among words', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.lorem({ maxCount: 3 }), nine.map(withCheck)), { maxLength: 6 }),
        (parts) => {
          const numbers = parts.filter((p) => /^\d{10}$/.test(p)).length;
          const { text: out, redactions } = redact(parts.join(' '));
          expect(redactions.nhsNumbers).toBe(numbers);
          expect(out).not.toMatch(/\d/);
        },
      ),
    );
  });
});
