import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * The key acknowledgement links are signed with, kept in a file beside the database (`FILE.alert-key`,
 * readable by its owner only) rather than in it: a copy of the database handed to someone to look into
 * does not let them forge links. Made once, on the first start; links already sent keep working after a
 * restart. Removing the file makes every link sent so far invalid.
 */
export function loadAckKey(dbFile: string): Buffer {
  const file = `${dbFile}.alert-key`;
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    if (key.length >= 32) return key;
    throw new Error(
      `${file} does not hold a key: remove it and a new one is made (links already sent stop working)`,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  try {
    writeFileSync(file, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    // Another start made it first: read theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadAckKey(dbFile);
    throw error;
  }
}
