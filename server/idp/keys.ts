/**
 * The demo provider's secrets, generated per installation on first start and kept in
 * DATA_DIR/idp/jwks.json (mode 0600): the RS256 signing key (tokens stay verifiable across
 * restarts) and the keys that sign its cookies (sign-ins in progress survive a restart).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export interface IdpSecrets {
  jwks: { keys: JWK[] };
  cookieKeys: string[];
}

export async function loadOrCreateSecrets(dataDir: string): Promise<IdpSecrets> {
  const dir = path.join(dataDir, 'idp');
  const file = path.join(dir, 'jwks.json');
  if (fs.existsSync(file)) {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as IdpSecrets;
    if (stored.jwks?.keys?.length && stored.cookieKeys?.length) return stored;
  }
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' };
  const secrets: IdpSecrets = { jwks: { keys: [jwk] }, cookieKeys: [crypto.randomBytes(32).toString('base64url')] };
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // written beside and renamed: a crash never leaves half a key file
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(secrets), { mode: 0o600 });
  fs.renameSync(tmp, file);
  return secrets;
}
