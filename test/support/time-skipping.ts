import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';

// The SDK gives the server 5 s to listen; on a loaded machine its start can take longer.
const START_ATTEMPTS = 3;

/** The Java time-skipping test server provisioned by the global setup (SDK download as a last resort). */
export const createTimeSkippingEnv = async (): Promise<TestWorkflowEnvironment> => {
  const path = inject('testServerPath');
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: path ? { type: 'existing-path', path } : { type: 'cached-download' } },
      });
    } catch (error) {
      const slowStart = error instanceof Error && error.message.includes('Failed to start ephemeral server');
      if (!slowStart || attempt >= START_ATTEMPTS) throw error;
    }
  }
};
