/** Production refuses a configuration under which staff and citizen logins could not work, or documents could not be sealed. */
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config/config';

const production = { NODE_ENV: 'production', RECEIPT_SECRET: 'x'.repeat(32), SMTP_URL: 'smtp://mail.example', DOCUMENT_SEAL_DIR: os.tmpdir(), DOCUMENT_SEAL_PASSPHRASE: 'seal' } as NodeJS.ProcessEnv;

describe('production configuration', () => {
  it('refuses to start without an https PUBLIC_BASE_URL, saying why', () => {
    expect(() => loadConfig(production)).toThrow(/PUBLIC_BASE_URL: production needs the https:\/\/ address users reach/);
    expect(() => loadConfig({ ...production, PUBLIC_BASE_URL: 'http://lu.example' })).toThrow(/PUBLIC_BASE_URL/);
    expect(() => loadConfig({ ...production, PUBLIC_BASE_URL: 'http://lu.example', TRUST_PROXY: 'true' })).toThrow(/PUBLIC_BASE_URL/);
  });

  it('starts behind a TLS-terminating proxy, with or without TRUST_PROXY', () => {
    expect(loadConfig({ ...production, PUBLIC_BASE_URL: 'https://lu.example' }).publicBaseUrl).toBe('https://lu.example');
    expect(loadConfig({ ...production, PUBLIC_BASE_URL: 'https://lu.example', TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
  });

  it('needs the organisations’ seals outside demo mode wherever workers run', () => {
    const https: NodeJS.ProcessEnv = { ...production, PUBLIC_BASE_URL: 'https://lu.example' };
    const unsealed: NodeJS.ProcessEnv = { ...https, DOCUMENT_SEAL_DIR: undefined, DOCUMENT_SEAL_PASSPHRASE: undefined };
    expect(() => loadConfig(unsealed)).toThrow(/DOCUMENT_SEAL_DIR: required outside demo mode where workers run/);
    expect(() => loadConfig({ ...unsealed, ROLE: 'workers' })).toThrow(/DOCUMENT_SEAL_DIR: required/);
    expect(() => loadConfig({ ...https, DOCUMENT_SEAL_DIR: path.join(os.tmpdir(), 'no-such-seal-folder') })).toThrow(/DOCUMENT_SEAL_DIR: no such folder/);
    expect(() => loadConfig({ ...https, DOCUMENT_SEAL_PASSPHRASE: undefined })).toThrow(/DOCUMENT_SEAL_PASSPHRASE: required with DOCUMENT_SEAL_DIR/);
    // a process that only serves HTTP issues no documents
    expect(loadConfig({ ...unsealed, ROLE: 'server' }).documentSeals).toEqual({ dir: undefined, passphrase: '', demo: false });
    expect(loadConfig(https).documentSeals).toEqual({ dir: os.tmpdir(), passphrase: 'seal', demo: false });
    // demo mode: generated demo seals for organisations without a file
    expect(loadConfig({ DEMO_MODE: 'true' } as NodeJS.ProcessEnv).documentSeals).toEqual({ dir: undefined, passphrase: '', demo: true });
  });
});
