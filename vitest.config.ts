import { defineConfig } from 'vitest/config';

/**
 * Integration and browser tests share one real broker and one server: both projects name the
 * same global setup, which starts that backend once per run (see global-setup.ts), and each
 * runs its files one after another in a single fork (`singleFork`; in vitest 3 the forks pool
 * takes `fileParallelism` from the root config only). Unit tests run in parallel.
 */
const backend = {
  globalSetup: ['test/integration/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 180_000,
  poolOptions: { forks: { singleFork: true } },
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['workers/**/*.test.ts', 'server/**/*.test.ts', 'test/unit/**/*.test.ts'],
        },
      },
      {
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], ...backend },
      },
      {
        // real chromium against the built back office and portal (npm run build:backoffice, build:portal)
        test: { name: 'browser', include: ['test/browser/**/*.test.ts'], ...backend },
      },
    ],
  },
});
