import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, inject } from 'vitest';
import { ApprovalSimulator } from '../../src/testkit';

/** One simulator for the test file on the suite's test server and workflow bundle, started in beforeAll and closed in afterAll. */
export const useSimulator = (): (() => ApprovalSimulator) => {
  let simulator: ApprovalSimulator | undefined;
  beforeAll(async () => {
    simulator = await ApprovalSimulator.start({
      testServerPath: inject('testServerPath') || undefined,
      workflowBundle: { code: readFileSync(inject('workflowBundlePath'), 'utf8') },
    });
  });
  afterAll(async () => {
    await simulator?.close();
  });
  return () => {
    if (!simulator) throw new Error('the simulator starts in beforeAll');
    return simulator;
  };
};
