/** The smallest environment production accepts (no demo: secrets, mail, seals and a public https address). */
import os from 'node:os';

export const productionEnv = {
  NODE_ENV: 'production',
  PUBLIC_BASE_URL: 'https://lu.example',
  RECEIPT_SECRET: 'x'.repeat(32),
  SMTP_URL: 'smtp://mail.example',
  DOCUMENT_SEAL_DIR: os.tmpdir(),
  DOCUMENT_SEAL_PASSPHRASE: 'seal',
} as NodeJS.ProcessEnv;
