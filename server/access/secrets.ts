import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes as base64url: for cookies, tokens and CSRF values. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * SHA-256 of a random secret. With 256 bits of randomness a slow hash adds nothing; passwords, which
 * people choose, get scrypt instead (passwords.ts).
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares two strings in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
