import { describe, expect, it } from 'vitest';
import type { LogEntry } from '@temporalio/worker';
import { formatSimulation, type SimulationResult } from '../../../src/testkit';
import { scriptedFailure, SimulationLogger } from '../../../src/testkit/scripted-failures';

const event = (type: string, nodeId: string, data: Record<string, unknown> | null) => ({
  atMs: 0,
  seq: 1,
  type,
  nodeId,
  stepId: `step_${nodeId}`,
  data,
});

const result = (events: SimulationResult['events']): SimulationResult => ({
  name: null,
  definitionId: 'hooks',
  executionId: 'exec_1',
  view: { status: 'running', failureReason: null, steps: [] } as unknown as SimulationResult['view'],
  events,
  actions: [],
  virtualMs: 0,
  checked: false,
  failures: [],
  passed: true,
});

describe('formatSimulation', () => {
  it("names a failed step's error code and message, and a completed step's decision", () => {
    const text = formatSimulation(
      result([
        event('step.failed', 'check-links', { error: { code: 'webhook-node-http-status', message: 'HTTP 503' } }),
        event('step.failed', 'tell-editor', { error: { code: 'notification-email-undelivered' } }),
        event('step.completed', 'review', { output: { decision: 'approve' } }),
      ]),
    );
    expect(text).toContain('step.failed              check-links (webhook-node-http-status: HTTP 503)');
    expect(text).toContain('step.failed              tell-editor (notification-email-undelivered)');
    expect(text).toContain('step.completed           review (approve)');
  });
});

describe('SimulationLogger', () => {
  const logged = () => {
    const entries: LogEntry[] = [];
    return { entries, logger: new SimulationLogger('WARN', (entry) => entries.push(entry)) };
  };

  it('drops the SDK warning for a failure the scenario scripted, and keeps every other entry', () => {
    const { entries, logger } = logged();
    const scripted = scriptedFailure({ message: 'scripted failure of call', type: 'webhook-node-http-status', details: [] });
    logger.warn('Activity failed', { error: scripted });
    logger.warn('Activity failed', { error: new Error('a real bug') });
    logger.warn('Something else', { error: scripted });
    logger.info('below the level', {});
    expect(entries.map((entry) => [entry.message, (entry.meta?.error as Error).message])).toEqual([
      ['Activity failed', 'a real bug'],
      ['Something else', 'scripted failure of call'],
    ]);
    expect(scripted.nonRetryable).toBe(true);
  });
});
