/**
 * Encrypts secrets kept in the database (portal clients' callback secrets, the first responses of
 * idempotent submissions with their access tokens), so a copy of the database alone does not let
 * anyone sign status callbacks or read a case. AES-256-GCM with a key derived
 * (HKDF-SHA256) from the installation's server secret (RECEIPT_SECRET) and a purpose; changing
 * RECEIPT_SECRET makes stored secrets unreadable (they must then be registered again).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const PREFIX = 'v1:';

export class SecretBox {
  private readonly key: Buffer;

  constructor(serverSecret: string, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', serverSecret, 'lu-backoffice', purpose, 32));
  }

  /** `v1:<iv>:<tag>:<ciphertext>` (base64url) */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join(':');
  }

  /** The plain secret; a value without the prefix is taken as stored in plain text (written by hand). Throws when it was sealed with another key. */
  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const [iv, tag, data] = stored
      .slice(PREFIX.length)
      .split(':')
      .map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv!);
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(data!), decipher.final()]).toString('utf8');
  }
}
