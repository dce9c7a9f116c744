/** SHA-256 digests and a constant-time comparison of secrets (tokens, passwords, sign-in states). */
import crypto from 'node:crypto';

/** Hex SHA-256 of a string (UTF-8) or bytes. */
export const sha256 = (s: string | Buffer): string => crypto.createHash('sha256').update(s).digest('hex');

/**
 * Whether two secrets are equal, in a time that reveals neither where they differ nor their
 * lengths: both are hashed first, so the comparison is always of 32 bytes.
 */
export function sameSecret(a: string, b: string): boolean {
  return crypto.timingSafeEqual(crypto.createHash('sha256').update(a).digest(), crypto.createHash('sha256').update(b).digest());
}
