/**
 * Redaction of survey free text before it is stored: NHS numbers, email addresses and UK phone
 * numbers are replaced by a bracketed note. Everything else is kept as written.
 *
 * Passes run in this order, each on the output of the one before; replacements hold no digits, so a
 * later pass can never join digits across an earlier replacement:
 * 1. Emails, so digits inside an address (`9434765919@nhs.net`) go with the address.
 * 2. Phones written with +44 or 0044, so their ten national digits are not taken for an NHS number.
 * 3. NHS numbers: exactly ten digits, unbroken or grouped 3-3-4 with a space or hyphen, with no digit
 *    directly either side, passing the modulus-11 check. Ten digits that fail the check are left to
 *    the phone pass (`0123456788` fails it and is a phone number).
 * 4. National phones: 0 then 9 or 10 digits, single spaces, hyphens or an area code in brackets
 *    between them, with no digit either side. Because an 11-digit number has a digit on each side of
 *    any 10 of its digits, pass 3 never takes part of one.
 * 5. Any run of 11 or more digits left that holds a valid NHS number anywhere in it is removed whole
 *    as a possible NHS number (typed with a slip or run into other digits). This costs about one in
 *    eleven long reference numbers, and means the output never holds ten digits in a row that pass
 *    the check.
 *
 * Not caught: NHS numbers grouped other than 3-3-4 or broken by other characters, spelled-out emails
 * ("name at nhs dot net"), phones with dots between digit groups, and names or addresses, which is
 * why the survey asks people not to write them.
 */

export interface Redacted {
  readonly text: string;
  readonly redactions: { readonly nhsNumbers: number; readonly emails: number; readonly phones: number };
}

const NHS_NOTE = '[NHS number removed]';
const EMAIL_NOTE = '[email removed]';
const PHONE_NOTE = '[phone number removed]';

// The local part starts where a run of address characters starts, so a failed match costs one step.
const EMAIL = /(?<![\w.%+-])[\w.%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi;
const NHS_NUMBER = /(?<!\d)(?:\d{10}|\d{3}[ -]\d{3}[ -]\d{4})(?!\d)/g;
// Between two digits: nothing, one space or hyphen, or a closing bracket and an optional space.
const GAP = String.raw`(?:\) ?|[ -])?`;
const INTERNATIONAL_PHONE = new RegExp(
  String.raw`(?<![\w+])(?:\+|00)44[ -]?(?:\(0\) ?|0)?(?:${GAP}\d){9,10}(?!\d)`,
  'g',
);
const NATIONAL_PHONE = new RegExp(String.raw`(?<!\d)\(?0(?:${GAP}\d){9,10}(?!\d)`, 'g');
const LONG_DIGIT_RUN = /\d{11,}/g;

/** True for ten digits whose last is the modulus-11 check digit of the first nine. */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

function holdsNhsNumber(run: string): boolean {
  for (let i = 0; i + 10 <= run.length; i++) if (isValidNhsNumber(run.slice(i, i + 10))) return true;
  return false;
}

export function redact(text: string): Redacted {
  let emails = 0;
  let phones = 0;
  let nhsNumbers = 0;
  const phone = (match: string): string => {
    phones++;
    // "(07700 900123)": keep an opening bracket that has no partner inside the number.
    return match.startsWith('(') && !match.includes(')') ? `(${PHONE_NOTE}` : PHONE_NOTE;
  };
  const out = text
    .replace(EMAIL, () => {
      emails++;
      return EMAIL_NOTE;
    })
    .replace(INTERNATIONAL_PHONE, phone)
    .replace(NHS_NUMBER, (match) => {
      if (!isValidNhsNumber(match.replace(/\D/g, ''))) return match;
      nhsNumbers++;
      return NHS_NOTE;
    })
    .replace(NATIONAL_PHONE, phone)
    .replace(LONG_DIGIT_RUN, (run) => {
      if (!holdsNhsNumber(run)) return run;
      nhsNumbers++;
      return NHS_NOTE;
    });
  return { text: out, redactions: { nhsNumbers, emails, phones } };
}
