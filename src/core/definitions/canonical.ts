import type { DefinitionInput, Group, Loop, NodeInput } from './schema';

/** What is stored and served: desugared, `when` in canonical JSON, unset optionals as null. */
export interface CanonicalEdge {
  from: string;
  to: string;
  when: string | null;
}

export type CanonicalNode = NodeInput;

export interface CanonicalDefinition {
  definitionId: string;
  name: string;
  description: string | null;
  scope: { level: 'apiKey' | 'organization' | 'document'; organizationId: string | null; documentId: string | null };
  nodes: CanonicalNode[];
  edges: CanonicalEdge[];
  groups: Group[] | null;
  loops: Loop[] | null;
  triggers: DefinitionInput['triggers'] | null;
  tags: string[] | null;
  custom: Record<string, unknown> | null;
  /** The author's input as accepted, so a partial update merges into it and is desugared afresh. */
  source: DefinitionInput;
}

export interface Violation {
  code: string | null;
  message: string;
}

export const violation = (code: string, detail: string): Violation => ({ code, message: `${code}: ${detail}` });
