import type { AgentConfig } from './schema/agent-config';
import type { HumanConfig } from './schema/human-config';
import type { Group } from './schema/group';
import type { Loop } from './schema/loop';
import type { Edge, EdgeRole } from './schema/edge';
import type { OnReject } from './schema/on-reject';
import type { CanonicalScope } from './schema/scope';
import type { Trigger } from './schema/trigger';

interface NodeCommon {
  nodeId: string;
  slaMs?: number | undefined;
  name?: string | undefined;
  description?: string | undefined;
  requireNonEmptyOutput?: boolean | undefined;
}

export type CanonicalHumanConfig = Omit<HumanConfig, 'onReject'>;
export type CanonicalAgentNode = NodeCommon & { type: 'agent'; config: AgentConfig };
export type CanonicalHumanNode = NodeCommon & { type: 'human'; config: CanonicalHumanConfig };
/**
 * Written through `WebhookNodeConfigSchema` today; records stored before webhook nodes ran hold any
 * object, so the plan parses it again (docs/inbound.md, "Webhook nodes").
 */
export type CanonicalWebhookNode = NodeCommon & { type: 'webhook'; config: Record<string, unknown> };
/** A stored node: config present, `onReject` removed (desugared into edges/loops). */
export type CanonicalNode = CanonicalAgentNode | CanonicalHumanNode | CanonicalWebhookNode;

export interface CanonicalEdge {
  from: string;
  to: string;
  /** Canonical JSON-AST string; null fires always. */
  when: string | null;
  /** The authored `on` role (G3 definitions only; a G2 edge's role is read from its `when`). */
  role?: EdgeRole | undefined;
  /**
   * Set when the authored `from` was a group: the edge is one member's expansion of a collective
   * branch, which the group takes once (docs/g3.md, "Groups as edge sources").
   */
  fromGroupId?: string | undefined;
  /** Set when the authored `to` was a group (one edge per member). */
  toGroupId?: string | undefined;
}

/** Which edge model a definition was written in (docs/g3.md); it also selects the agent semantics (docs/behaviour.md, "G3 runtime"). A record without one is `g2`. */
export type Generation = 'g2' | 'g3';

/** Provenance of a desugared shorthand, kept so a partial update can desugar it afresh. */
export interface AuthoredOnReject {
  nodeId: string;
  /** As authored, with `loopBack.when` already in canonical form. */
  onReject: OnReject;
}

/**
 * The one definition model: the validated, desugared content that is stored, pinned by executions
 * and compiled into the interpreter's plan (`buildPlan`). Every `when` is canonical JSON;
 * synthesized edges and loops are appended after the authored ones. What the author wrote beyond
 * the compiled graph (today `authoredOnReject`) travels here too, so a view or a partial update can
 * restore the authored form while the plan reads only `nodes`, `edges`, `groups` and `loops`.
 */
export interface CanonicalDefinition {
  definitionId: string;
  name: string;
  description: string | null;
  scope: CanonicalScope;
  nodes: CanonicalNode[];
  edges: CanonicalEdge[];
  groups: Group[] | null;
  loops: Loop[] | null;
  triggers: Trigger[] | null;
  tags: string[] | null;
  custom: Record<string, unknown> | null;
  /** Not part of the view. */
  authoredOnReject: AuthoredOnReject[];
  /** Written only for G3 definitions; absent reads as `g2` (every record stored before G3 support). */
  generation?: Generation | undefined;
  /** G3 only: the edges exactly as sent, echoed by views and merged by partial updates. */
  authoredEdges?: Edge[] | undefined;
  /**
   * Inbound-trigger secrets by triggerId, sealed by the API (docs/inbound.md, "Inbound triggers").
   * Not part of the view: the triggers themselves are stored without their `secret`.
   */
  triggerSecrets?: Record<string, string> | undefined;
  /** Set by the API after validation (the secret sealed); never part of a view. */
  webhookConfig?: StoredWebhookConfig | undefined;
}

/**
 * A definition's own webhook target (`webhookConfig`), its secret sealed with APPROVAL_SECRETS_KEY.
 * Write-only: no view shows it (docs/inbound.md, "Definition webhookConfig").
 */
export interface StoredWebhookConfig {
  url: string;
  sealedSecret: string;
  /** Only these event types are delivered; null: all. */
  eventTypes: string[] | null;
}

export const generationOf = (definition: Pick<CanonicalDefinition, 'generation'>): Generation => definition.generation ?? 'g2';
