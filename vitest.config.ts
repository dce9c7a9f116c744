import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // integration files share one broker and one server: run files one after another
    fileParallelism: false,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['workers/**/*.test.ts', 'server/**/*.test.ts', 'test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'],
          // one real Zeebe broker and one server for the whole run (see global-setup.ts)
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
