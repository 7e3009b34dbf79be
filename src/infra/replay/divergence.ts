/**
 * What a failed replay means, in an operator's words: the first history event the current code
 * disagrees with, what the history recorded there, and what the code did instead. Parsed from the
 * SDK's DeterminismViolationError message (its wording comes from the SDK core's state machines);
 * anything it does not recognise is still shown whole as `detail`.
 */
export interface Divergence {
  /** The id of the first history event the code does not agree with, when the message names it. */
  eventId: number | null;
  /** The command the history recorded (the event's type, e.g. `TimerStarted`). */
  expected: string | null;
  /** What the current code issued at that point (`no command` when it issued none). */
  actual: string | null;
  /** The SDK's own explanation, without its wrapping. */
  detail: string;
}

const NONDETERMINISM = /Nondeterminism error: (.*?)(?:", source:|$)/s;
const HISTORY_EVENT = /HistoryEvent\(id: (\d+), (\w+)/;
// "<Name>Machine does not handle …", "<Name> machine does not handle this event: …"
const MACHINE = /^(.*?)\s*[Mm]achine does not handle/;

const COMMAND_OF_MACHINE: Record<string, string> = {
  UpsertWorkflowSearchAttributes: 'UpsertWorkflowSearchAttributes',
  ModifyWorkflowProperties: 'ModifyWorkflowProperties',
  Timer: 'StartTimer',
  Activity: 'ScheduleActivityTask',
  'Child workflow': 'StartChildWorkflowExecution',
  'Complete workflow': 'CompleteWorkflowExecution',
  'Fail workflow': 'FailWorkflowExecution',
  'Cancel workflow': 'CancelWorkflowExecution',
  'Continue as new workflow': 'ContinueAsNewWorkflowExecution',
  'Signal external WF': 'SignalExternalWorkflowExecution',
  'Cancel external WF': 'RequestCancelExternalWorkflowExecution',
  Update: 'ProtocolMessage (Update)',
  'Nexus operation': 'ScheduleNexusOperation',
};

export const describeDivergence = (message: string): Divergence => {
  const detail = (NONDETERMINISM.exec(message)?.[1] ?? message).trim();
  const event = HISTORY_EVENT.exec(detail);
  const machine = MACHINE.exec(detail)?.[1]?.trim();
  let actual: string | null = null;
  if (/^No command scheduled for event/.test(detail)) actual = 'no command';
  else if (machine !== undefined) actual = COMMAND_OF_MACHINE[machine] ?? machine;
  return {
    eventId: event ? Number(event[1]) : null,
    expected: event?.[2] ?? null,
    actual,
    detail,
  };
};

/** One line for the report: `event 7: history has TimerStarted, the code issued UpsertWorkflowSearchAttributes`. */
export const formatDivergence = (divergence: Divergence): string => {
  const where = divergence.eventId === null ? 'divergence' : `event ${divergence.eventId}`;
  const what =
    divergence.expected !== null || divergence.actual !== null
      ? `history has ${divergence.expected ?? '(unknown)'}, the code issued ${divergence.actual ?? '(unknown)'}`
      : divergence.detail;
  return `${where}: ${what}`;
};
