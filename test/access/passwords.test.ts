import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '../../server/access/passwords.js';

describe('passwords', () => {
  it('stores scrypt with its parameters, a 16-byte salt and a 32-byte key, and verifies only the same password', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const [scheme, n, r, p, salt, key] = stored.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(salt as string, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key as string, 'base64url')).toHaveLength(32);
    expect(stored).not.toContain('horse');
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
    // A fresh salt each time: the same password never hashes the same.
    expect(await hashPassword('correct horse battery staple')).not.toBe(stored);
  });

  it('takes as long to refuse an unknown account as a wrong password', async () => {
    const stored = await hashPassword('a long enough passphrase');
    const time = async (work: () => Promise<boolean>) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        expect(await work()).toBe(false);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[2] as number;
    };
    const wrong = await time(() => verifyPassword('not the passphrase', stored));
    const unknown = await time(() => verifyPassword('not the passphrase', undefined));
    const tampered = await time(() => verifyPassword('not the passphrase', 'scrypt$1$1$1$AA$AA'));
    // The same scrypt work whatever was stored: within a factor of two on a busy machine.
    expect(unknown).toBeGreaterThan(wrong / 2);
    expect(tampered).toBeGreaterThan(wrong / 2);
    expect(wrong).toBeGreaterThan(5);
  });

  it('takes passwords of 12 to 1,024 characters, saying why it refuses others', async () => {
    expect(passwordProblem('')).toBe('the password is empty');
    expect(passwordProblem('short pass1')).toContain('11 characters: it must be at least 12');
    expect(passwordProblem('twelve chars')).toBeUndefined();
    expect(passwordProblem('x'.repeat(1_024))).toBeUndefined();
    expect(passwordProblem('x'.repeat(1_025))).toBe('the password is over 1,024 characters');
    await expect(hashPassword('too short')).rejects.toThrow('at least 12');
    // A very long attempt against a real hash costs one bounded hash and is refused.
    const stored = await hashPassword('x'.repeat(1_024));
    expect(await verifyPassword('x'.repeat(100_000), stored)).toBe(false);
  });
});
