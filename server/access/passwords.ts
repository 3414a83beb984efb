import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Passwords people choose, stored as `scrypt$N$r$p$salt$hash` (base64url). scrypt with N=2^15, r=8,
 * p=1 takes about 32 MiB and tens of milliseconds a guess: slow for someone with a stolen database,
 * quick enough for a person signing in. The parameters travel with each hash, so they can be raised
 * later without locking anyone out.
 */
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly that, so leave room. */
const maxmemFor = (n: number, r: number) => 128 * n * r * 2;

/** NCSC: length over complexity. The upper bound only keeps one hash from costing too much. */
export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 1_024;

/** Why a password is not taken, or undefined when it is. */
export function passwordProblem(password: string): string | undefined {
  const length = [...password].length;
  if (length === 0) return 'the password is empty';
  if (length < MIN_PASSWORD)
    return `the password is ${length} characters: it must be at least ${MIN_PASSWORD} (a few words together make a good one)`;
  if (length > MAX_PASSWORD) return `the password is over ${MAX_PASSWORD.toLocaleString('en-GB')} characters`;
  return undefined;
}

function derive(password: string, salt: Buffer, n: number, r: number, p: number, bytes: number) {
  const options: ScryptOptions = { N: n, r, p, maxmem: maxmemFor(n, r) };
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, bytes, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, N, R, P, KEY_BYTES);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

interface Parsed {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): Parsed | undefined {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return undefined;
  const numbers = [Number(n), Number(r), Number(p)];
  if (!numbers.every((x) => Number.isSafeInteger(x) && x > 0)) return undefined;
  const [nn, rr, pp] = numbers as [number, number, number];
  // Bounds both ways: a tampered row can neither make one sign-in cost gigabytes nor answer quicker
  // than an unknown account does.
  const powerOfTwo = (nn & (nn - 1)) === 0;
  if (!powerOfTwo || nn < 2 ** 14 || nn > 2 ** 20 || rr > 32 || pp > 16) return undefined;
  const parsed = {
    n: nn,
    r: rr,
    p: pp,
    salt: Buffer.from(salt, 'base64url'),
    key: Buffer.from(key, 'base64url'),
  };
  return parsed.salt.length >= 8 && parsed.key.length >= 16 && parsed.key.length <= 64 ? parsed : undefined;
}

/** A hash of a password nobody has, so an unknown account takes as long to refuse as a known one. */
const DUMMY: Parsed = {
  n: N,
  r: R,
  p: P,
  salt: Buffer.alloc(SALT_BYTES, 7),
  key: Buffer.alloc(KEY_BYTES, 0),
};

/**
 * Whether `password` is the one `stored` was made from. With no stored hash (no such account, or one
 * without a password) the same work is done against a dummy and the answer is no: how long it takes
 * does not tell anyone whether the account exists.
 */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parsed = (stored ? parse(stored) : undefined) ?? DUMMY;
  // Past the maximum, compare a cut-down copy: the work stays bounded and the answer is no.
  const tooLong = password.length > MAX_PASSWORD * 4;
  const key = await derive(
    tooLong ? password.slice(0, MAX_PASSWORD) : password,
    parsed.salt,
    parsed.n,
    parsed.r,
    parsed.p,
    parsed.key.length,
  );
  const same = key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  return same && parsed !== DUMMY && !tooLong;
}
