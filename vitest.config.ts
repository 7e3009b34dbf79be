import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/quiet-runtime.ts'],
    // Temporal workers use native threads and a webpack bundler; forks keep them isolated per file.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
