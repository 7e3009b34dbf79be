import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/workflow/**/*.test.ts', 'test/http/**/*.test.ts', 'test/replay/**/*.test.ts'],
          // One real dev server and one workflow bundle per run (see the setup file).
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/quiet-runtime.ts'],
          // Temporal workers use native threads and a webpack bundler; forks keep them isolated per file.
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'processes',
          include: ['test/dev/**/*.test.ts', 'test/faults/**/*.test.ts'],
          // Each file runs the engine as real processes (dev server, worker, API) and kills them.
          pool: 'forks',
          fileParallelism: false,
          // After the other projects, not beside them: they kill processes and load the machine.
          sequence: { groupOrder: 1 },
          testTimeout: 30 * 60_000,
          hookTimeout: 5 * 60_000,
        },
      },
    ],
  },
});
