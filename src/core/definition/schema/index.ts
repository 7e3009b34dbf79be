export { AgentConfigSchema, MOCK_AGENT_ID, ResolutionPolicySchema, type AgentConfig, type ResolutionPolicy } from './agent-config';
export {
  CreateDefinitionRequestSchema,
  TagSchema,
  UpdateDefinitionRequestSchema,
  type CreateDefinitionInput,
  type CreateDefinitionRequest,
  type UpdateDefinitionInput,
  type UpdateDefinitionRequest,
} from './definition';
export {
  EDGE_ROLES,
  EdgeEndpointSchema,
  EdgeLoopSchema,
  EdgeRoleSchema,
  EdgeSchema,
  GroupEndpointSchema,
  NodeEndpointSchema,
  type Edge,
  type EdgeEndpoint,
  type EdgeRole,
  type LegacyEdge,
} from './edge';
export { GroupSchema, QuorumPolicySchema, type Group, type QuorumPolicy } from './group';
export { HUMAN_CONFIG_MESSAGES, HumanConfigSchema, ReviewerSchema, type HumanConfig, type Reviewer } from './human-config';
export { DefinitionIdSchema, NodeIdSchema, WhenSourceSchema } from './ids';
export {
  DEFAULT_AGENT_MAX_RUNTIME_MS,
  DEFAULT_AGENT_POLL_INTERVAL_MS,
  DEFAULT_LOOP_BACK_MAX_ITERATIONS,
  G3_DEFAULT_AGENT_MAX_RUNTIME_MS,
  LIMITS,
} from './limits';
export { LoopIdSchema, LoopSchema, type Loop } from './loop';
export {
  AgentNodeSchema,
  HumanNodeSchema,
  NodeSchema,
  SlaMsSchema,
  WebhookConfigSchema,
  WebhookNodeSchema,
  type AgentNode,
  type HumanNode,
  type Node,
  type NodeType,
  type WebhookConfig,
  type WebhookNode,
} from './node';
export { LoopBackSchema, OnRejectSchema, type LoopBack, type OnReject } from './on-reject';
export {
  ScopeIdSchema,
  ScopeLevelSchema,
  ScopeSchema,
  resolveScope,
  scopeIssues,
  type CanonicalScope,
  type Scope,
  type ScopeLevel,
} from './scope';
export { TriggerSchema, type Trigger } from './trigger';
export {
  AppTriggerSchema,
  INBOUND_PROVIDERS,
  InboundWebhookSchema,
  ScheduleTriggerSchema,
  TRIGGER_MESSAGES,
  TriggersSchema,
  type InboundProvider,
  type InboundWebhookTrigger,
  type ScheduleTrigger,
} from './trigger';
export {
  DefinitionWebhookConfigSchema,
  isReservedHeader,
  WEBHOOK_NODE_LIMITS,
  WebhookNodeConfigSchema,
  type DefinitionWebhookConfig,
  type WebhookNodeConfig,
} from './webhook-node-config';
