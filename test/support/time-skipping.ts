import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';

/** The Java time-skipping test server provisioned by the global setup (SDK download as a last resort). */
export const createTimeSkippingEnv = (): Promise<TestWorkflowEnvironment> => {
  const path = inject('testServerPath');
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: path ? { type: 'existing-path', path } : { type: 'cached-download' } },
  });
};
