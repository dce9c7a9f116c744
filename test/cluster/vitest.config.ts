import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:cluster` (run by .ci/run after `npm test`): one long test against a 3-broker
 * Zeebe cluster, two ROLE=server and one ROLE=workers process on one PostgreSQL. Kept out of the
 * main vitest projects: it needs the machine to itself for several minutes.
 */
export default defineConfig({
  test: {
    name: 'cluster',
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/cluster/**/*.test.ts'],
    testTimeout: 20 * 60_000,
    hookTimeout: 10 * 60_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
  },
});
