/** Production refuses a configuration under which staff and citizen logins could not work. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config/config';

const production = { NODE_ENV: 'production', RECEIPT_SECRET: 'x'.repeat(32), SMTP_URL: 'smtp://mail.example' } as NodeJS.ProcessEnv;

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
});
