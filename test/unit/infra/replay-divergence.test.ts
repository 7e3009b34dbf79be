import { describe, expect, it } from 'vitest';
import { describeDivergence, formatDivergence } from '../../../src/infra/replay/divergence';
import { parseReplayOptions } from '../../../src/infra/replay/replay-options';

const wrapped = (core: string): string =>
  'Replay failed with a nondeterminism error. This means that the workflow code as written is not compatible with the history ' +
  `that was fed in. Details: Workflow activation completion failed: Failure { failure: Some(Failure { message: "[TMPRL1100] ` +
  `Nondeterminism error: ${core}", source: "", stack_trace: "" }) }`;

describe('describeDivergence', () => {
  it('names the event, what the history recorded and what the code issued', () => {
    const divergence = describeDivergence(
      wrapped('UpsertWorkflowSearchAttributesMachine does not handle HistoryEvent(id: 7, TimerStarted)'),
    );
    expect(divergence).toEqual({
      eventId: 7,
      expected: 'TimerStarted',
      actual: 'UpsertWorkflowSearchAttributes',
      detail: 'UpsertWorkflowSearchAttributesMachine does not handle HistoryEvent(id: 7, TimerStarted)',
    });
    expect(formatDivergence(divergence)).toBe('event 7: history has TimerStarted, the code issued UpsertWorkflowSearchAttributes');
  });

  it('maps the SDK core’s machine names to the commands they issue', () => {
    const timer = describeDivergence(wrapped('Timer machine does not handle this event: HistoryEvent(id: 12, ActivityTaskScheduled)'));
    expect(formatDivergence(timer)).toBe('event 12: history has ActivityTaskScheduled, the code issued StartTimer');
    const activity = describeDivergence(wrapped('Activity machine does not handle this event: HistoryEvent(id: 9, TimerStarted)'));
    expect(activity.actual).toBe('ScheduleActivityTask');
  });

  it('says the code issued nothing when the history has a command the code no longer makes', () => {
    const divergence = describeDivergence(wrapped('No command scheduled for event HistoryEvent(id: 5, TimerStarted)'));
    expect(formatDivergence(divergence)).toBe('event 5: history has TimerStarted, the code issued no command');
  });

  it('keeps a message it does not recognise whole', () => {
    const divergence = describeDivergence('something else went wrong');
    expect(divergence).toMatchObject({ eventId: null, expected: null, actual: null });
    expect(formatDivergence(divergence)).toBe('divergence: something else went wrong');
  });
});

describe('parseReplayOptions', () => {
  it('collects repeated flags', () => {
    expect(parseReplayOptions(['--execution', 'a', '--execution', 'b', '--query', 'q', '--file', 'f.json'])).toMatchObject({
      executions: ['a', 'b'],
      queries: ['q'],
      files: ['f.json'],
      limit: 1000,
    });
  });

  it('refuses nothing to do, unknown flags, empty values and a bad limit, naming the flag', () => {
    expect(() => parseReplayOptions([])).toThrow(/nothing to replay/);
    expect(() => parseReplayOptions(['--executions', 'a'])).toThrow(/--executions/);
    expect(() => parseReplayOptions(['--query', ' '])).toThrow(/--query must not be empty/);
    expect(() => parseReplayOptions(['--file', 'f', '--limit', 'x'])).toThrow(/--limit must be a positive integer/);
  });
});
