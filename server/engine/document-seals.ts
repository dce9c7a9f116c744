/**
 * The organisations' electronic seals (workers/ports.ts `seals`): a PKCS#12 file per organisation
 * in DOCUMENT_SEAL_DIR (`<organisation id>.p12`, all with DOCUMENT_SEAL_PASSPHRASE). In demo mode
 * an organisation without a file gets a generated, self-signed demo certificate (CN "DEMO
 * <name>", OU "DEMO – kein gültiges Siegel"), made once per process and kept in memory: each
 * process of an installation seals with its own demo certificate. Outside demo mode an
 * organisation without a file has no seal, and the worker refuses to issue its documents.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';

import type { DocumentSeal } from '../../model/types';

/** The `seals` port of workers/ports.ts, implemented here. */
export interface DocumentSeals {
  forOrganisation(organisation: { id: string; name: string }): Promise<DocumentSeal | undefined>;
}

export interface SealSettings {
  /** folder with `<organisation id>.p12`; undefined: none configured (demo mode only) */
  dir: string | undefined;
  passphrase: string;
  demo: boolean;
}

/** Passphrase of the generated demo seals (they protect nothing: the demo certificate is public knowledge). */
const DEMO_PASSPHRASE = 'demo';

export function createDocumentSeals(settings: SealSettings): DocumentSeals {
  // per file: the Buffer handed out until the file changes (workers cache its parsing per Buffer)
  const files = new Map<string, { mtimeMs: number; size: number; seal: DocumentSeal }>();
  const demoSeals = new Map<string, Promise<DocumentSeal>>();

  const fromFile = async (organisationId: string): Promise<DocumentSeal | undefined> => {
    if (!settings.dir) return undefined;
    // the id names the file; ids are "municipality:1061", "canton:steuerverwaltung"
    if (!/^[A-Za-z0-9._:-]+$/.test(organisationId)) return undefined;
    const file = path.join(settings.dir, `${organisationId}.p12`);
    const stat = await fs.promises.stat(file).catch(() => undefined);
    if (!stat?.isFile()) return undefined;
    const known = files.get(file);
    if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known.seal;
    const seal = { p12: await fs.promises.readFile(file), passphrase: settings.passphrase, demo: false };
    files.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, seal });
    return seal;
  };

  return {
    async forOrganisation(organisation) {
      const configured = await fromFile(organisation.id);
      if (configured || !settings.demo) return configured;
      let demo = demoSeals.get(organisation.id);
      if (!demo) {
        demo = generateDemoSeal(organisation.name);
        demoSeals.set(organisation.id, demo);
        demo.catch(() => demoSeals.delete(organisation.id));
      }
      return demo;
    },
  };
}

const generateKeyPair = promisify(crypto.generateKeyPair);

/**
 * A self-signed RSA-2048 certificate for an organisation, valid for ten years, marked as demo in
 * its subject (CN "DEMO <name>", OU "DEMO – kein gültiges Siegel"), as PKCS#12.
 */
export async function generateDemoSeal(organisationName: string): Promise<DocumentSeal> {
  // node's key generation (OpenSSL) instead of node-forge's JavaScript one: milliseconds, not seconds
  const { privateKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `01${crypto.randomBytes(15).toString('hex')}`;
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600_000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600_000);
  // UTF-8 strings in the subject (forge writes PrintableString unless told, and encodes UTF8String values itself): "ü", "–";
  // forge reads valueTagClass as the ASN.1 string type (its typings say Class)
  const UTF8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  const attrs = [
    { shortName: 'CN', value: `DEMO ${organisationName}`.slice(0, 64), valueTagClass: UTF8 },
    { shortName: 'O', value: organisationName.slice(0, 64), valueTagClass: UTF8 },
    { shortName: 'OU', value: 'DEMO – kein gültiges Siegel', valueTagClass: UTF8 },
    { shortName: 'C', value: 'CH' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true }, { name: 'subjectKeyIdentifier' }]);
  cert.sign(key, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], DEMO_PASSPHRASE, { algorithm: 'aes256', friendlyName: `DEMO ${organisationName}` });
  return { p12: Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'), passphrase: DEMO_PASSPHRASE, demo: true };
}
