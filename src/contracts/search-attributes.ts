import { defineSearchAttributeKey } from '@temporalio/common';

/** Custom search attributes the engine writes; registered by the dev supervisor and the test setup. */
export const SA = {
  workspace: defineSearchAttributeKey('ApprovalWorkspace', 'KEYWORD'),
  kind: defineSearchAttributeKey('ApprovalKind', 'KEYWORD'),
  definitionId: defineSearchAttributeKey('ApprovalDefinitionId', 'KEYWORD'),
  status: defineSearchAttributeKey('ApprovalStatus', 'KEYWORD'),
  correlationId: defineSearchAttributeKey('ApprovalCorrelationId', 'KEYWORD'),
  organizationId: defineSearchAttributeKey('ApprovalOrganizationId', 'KEYWORD'),
  documentId: defineSearchAttributeKey('ApprovalDocumentId', 'KEYWORD'),
  updatedAt: defineSearchAttributeKey('ApprovalUpdatedAt', 'INT'),
  startedAt: defineSearchAttributeKey('ApprovalStartedAt', 'INT'),
} as const;

export const ALL_SEARCH_ATTRIBUTES = Object.values(SA);
