import { defineConfig } from 'vitest/config';

// Temporal workers use native threads and a webpack bundler; forks keep them isolated per file.
const integration = { setupFiles: ['test/support/quiet-runtime.ts'], pool: 'forks' as const };

export default defineConfig({
  test: {
    // `npm run test:cluster` sets APPROVAL_TEST_CLUSTER: the HTTP suite against a real cluster, nothing else.
    projects: process.env.APPROVAL_TEST_CLUSTER
      ? [
          {
            test: {
              name: 'cluster',
              include: ['test/http/**/*.test.ts', 'test/cluster/**/*.test.ts'],
              // One PostgreSQL-backed cluster with an mTLS frontend per run; engine processes per file.
              globalSetup: ['test/support/cluster-global-setup.ts'],
              ...integration,
              testTimeout: 90_000,
              hookTimeout: 300_000,
            },
          },
        ]
      : [
          {
            test: {
              name: 'unit',
              include: ['test/unit/**/*.test.ts'],
              // Property tests run hundreds of cases: the default 5 s is too tight on a loaded machine.
              testTimeout: 30_000,
            },
          },
          {
            test: {
              name: 'integration',
              include: [
                'test/workflow/**/*.test.ts',
                'test/http/**/*.test.ts',
                'test/replay/**/*.test.ts',
                'test/simulate/**/*.test.ts',
                'test/ui/**/*.test.ts',
              ],
              // One real dev server and one workflow bundle per run (see the setup file).
              globalSetup: ['test/support/global-setup.ts'],
              ...integration,
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
