/**
 * A self-signed seal for unit tests of the workers (the server's demo seals are made in
 * server/engine/document-seals.ts, which workers may not import): one per test process.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import type { DocumentSeal } from '../ports.js';

let seal: DocumentSeal | undefined;

export function testSeal(): DocumentSeal {
  if (seal) return seal;
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  const subject = [
    { shortName: 'CN', value: 'TEST worker unit tests' },
    { shortName: 'C', value: 'CH' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(key, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], 'test', { algorithm: '3des' });
  seal = { p12: Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'), passphrase: 'test', demo: true };
  return seal;
}
