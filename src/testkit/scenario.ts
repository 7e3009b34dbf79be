import { msToNumber } from '@temporalio/common/lib/time';
import { z } from 'zod';
import { describeZodError } from '../core/zod-message';

/**
 * A scripted scenario for `npm run simulate` and the test kit (docs/simulate.md): what reviewers
 * and agents do, at which virtual time after dispatch, and what the run must look like at the end.
 */

const MAX_VIRTUAL_MS = 366 * 24 * 60 * 60 * 1000;

/** `"48h"`, `"30m"`, `"2d"`, `"1.5h"` or milliseconds, from dispatch; at most a year. */
const VirtualTime = z.union([z.number(), z.string()]).transform((value, ctx) => {
  let ms: number;
  try {
    ms = typeof value === 'number' ? value : msToNumber(value as Parameters<typeof msToNumber>[0]);
  } catch {
    ms = Number.NaN;
  }
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_VIRTUAL_MS) {
    ctx.addIssue({
      code: 'custom',
      message: `must be a duration like "48h", "30m", "2d" or milliseconds, between 0 and 366 days; got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return Math.round(ms);
});

const NodeId = z.string().min(1).max(200);
const Output = z.record(z.string(), z.unknown());

/** What a scripted agent answers, run by run (a loop runs a node more than once; the last entry repeats). */
const AgentOutcome = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('success'),
    output: Output.optional(),
    /** For blocking agents: the response ids whose resolutions the step then waits for. */
    responseIds: z.array(z.string().min(1).max(200)).max(100).optional(),
  }),
  z.strictObject({
    outcome: z.literal('failure'),
    message: z.string().min(1).max(2000).optional(),
  }),
]);

/** What a webhook node's receiver answers, call by call (an async node then waits for a `callback` step). */
const WebhookOutcome = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('success'),
    status: z.number().int().min(200).max(299).optional(),
    /** The response body (JSON); the step's output reads it as a real response would. */
    body: z.unknown().optional(),
  }),
  z.strictObject({
    outcome: z.literal('failure'),
    status: z.number().int().min(100).max(599).optional(),
    message: z.string().min(1).max(2000).optional(),
  }),
]);

/** Whether a notification node's message goes out, send by send. */
const NotificationOutcome = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('success') }),
  z.strictObject({ outcome: z.literal('failure'), message: z.string().min(1).max(2000).optional() }),
]);

/** Outcomes by node id, one entry or a list (a loop runs a node more than once; the last entry repeats). */
const byNode = <T extends z.ZodTypeAny>(outcome: T) =>
  z
    .record(
      NodeId,
      z.preprocess((value): unknown[] => (Array.isArray(value) ? (value as unknown[]) : [value]), z.array(outcome).min(1).max(100)),
    )
    .optional();

const Decide = z.strictObject({
  at: VirtualTime,
  decide: z.strictObject({
    node: NodeId,
    reviewer: z.string().min(1).max(200),
    decision: z.enum(['approve', 'reject']),
    reason: z.string().max(2000).optional(),
  }),
});

const ResolveAgent = z.strictObject({
  at: VirtualTime,
  resolveAgent: z.strictObject({
    node: NodeId,
    responseId: z.string().min(1).max(200),
    status: z.enum(['success', 'failure']),
    output: Output.optional(),
    errorMessage: z.string().max(2000).optional(),
    actorId: z.string().max(200).optional(),
  }),
});

const CancelExecution = z.strictObject({
  at: VirtualTime,
  cancel: z.strictObject({ reason: z.string().max(2000).optional() }),
});

/** The callback an async webhook node waits for (what `POST /v2/workflow/webhook-inbound/callback/…` records in production). */
const Callback = z.strictObject({
  at: VirtualTime,
  callback: z.strictObject({
    node: NodeId,
    status: z.enum(['completed', 'failed']),
    output: Output.optional(),
    error: Output.optional(),
  }),
});

const STEP_KINDS = { decide: Decide, resolveAgent: ResolveAgent, cancel: CancelExecution, callback: Callback } as const;
type StepKind = keyof typeof STEP_KINDS;
export type ScenarioStep = z.output<(typeof STEP_KINDS)[StepKind]>;

/** A step is told apart by its action key, so a mistake is reported on the action's own field. */
export const ScenarioStepSchema = z.unknown().transform((value, ctx): ScenarioStep => {
  const kinds = value && typeof value === 'object' ? (Object.keys(STEP_KINDS) as StepKind[]).filter((kind) => kind in value) : [];
  const kind = kinds[0];
  if (kinds.length !== 1 || kind === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an object with "at" and exactly one of "decide", "resolveAgent", "cancel", "callback"',
    });
    return z.NEVER;
  }
  const parsed = STEP_KINDS[kind].safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      ctx.addIssue({
        code: 'custom',
        message: issue.message,
        path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
      });
    return z.NEVER;
  }
  return parsed.data;
});

const StepStatus = z.enum(['pending', 'running', 'waiting', 'completed', 'failed', 'skipped', 'cancelled', 'breached']);

export const ScenarioSchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  triggerContext: Output.optional(),
  correlationId: z.string().min(1).max(200).optional(),
  /** Agent outcomes by node id; an agent node not listed succeeds with an empty output. */
  agents: byNode(AgentOutcome),
  /** Webhook node responses by node id; a webhook node not listed gets 200 with an empty body. Nothing is sent. */
  webhooks: byNode(WebhookOutcome),
  /** Notification outcomes by node id; a notification node not listed is sent. Nothing is sent. */
  notifications: byNode(NotificationOutcome),
  /** Happenings in virtual time; they run in `at` order (equal times in the order written). */
  steps: z.array(ScenarioStepSchema).max(1000).default([]),
  /** Let virtual time run until this point after the last step (SLAs breach meanwhile); default: the last step's time. */
  runUntil: VirtualTime.optional(),
  /** Checked at the end; a mismatch fails the simulation (exit code 1). */
  expect: z
    .strictObject({
      status: z.enum(['running', 'completed', 'failed', 'cancelled']).optional(),
      /** The latest step of each node. */
      steps: z.record(NodeId, StepStatus).optional(),
      /** Event types that must occur, in this order (others may come between). */
      events: z.array(z.string().min(1)).max(1000).optional(),
    })
    .optional(),
});

export type Scenario = z.output<typeof ScenarioSchema>;
type AgentOutcomeInput = z.input<typeof AgentOutcome>;
/** What a scenario file or a test writes (durations as strings or milliseconds). */
type WebhookOutcomeInput = z.input<typeof WebhookOutcome>;
type NotificationOutcomeInput = z.input<typeof NotificationOutcome>;
export type ScenarioInput = Omit<z.input<typeof ScenarioSchema>, 'steps' | 'agents' | 'webhooks' | 'notifications'> & {
  steps?: Array<z.input<typeof Decide> | z.input<typeof ResolveAgent> | z.input<typeof CancelExecution> | z.input<typeof Callback>>;
  agents?: Record<string, AgentOutcomeInput | AgentOutcomeInput[]>;
  webhooks?: Record<string, WebhookOutcomeInput | WebhookOutcomeInput[]>;
  notifications?: Record<string, NotificationOutcomeInput | NotificationOutcomeInput[]>;
};
export type ScriptedAgentOutcome = z.output<typeof AgentOutcome>;
export type ScriptedWebhookOutcome = z.output<typeof WebhookOutcome>;
export type ScriptedNotificationOutcome = z.output<typeof NotificationOutcome>;

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

/** Parses a scenario; every problem names its field (`scenario.steps[2].at: …`). */
export const parseScenario = (input: unknown): Scenario => {
  const parsed = ScenarioSchema.safeParse(input);
  if (!parsed.success) throw new ScenarioError(`invalid scenario: ${describeZodError(parsed.error, 'scenario').join('; ')}`);
  return parsed.data;
};
