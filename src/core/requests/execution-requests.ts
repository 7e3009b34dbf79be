import { z } from 'zod';
import { ScopeIdSchema } from '../definition/schema/scope';
import {
  DefinitionIdSchema,
  ExecutionIdSchema,
  MAX_TRIGGER_CONTEXT_BYTES,
  PageSizeSchema,
  serializedLength,
  TokenIdSchema,
} from './common';

export const EXECUTION_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;

export const DispatchRequestSchema = z
  .strictObject({
    definitionId: DefinitionIdSchema,
    idempotencyKey: TokenIdSchema.optional(),
    correlationId: TokenIdSchema.optional(),
    triggerContext: z
      .record(z.string(), z.unknown())
      .refine((value) => serializedLength(value) <= MAX_TRIGGER_CONTEXT_BYTES, 'must serialize to at most 256 KiB')
      .optional(),
    organizationId: ScopeIdSchema.optional(),
    documentId: ScopeIdSchema.optional(),
    folderId: z.string().min(1).max(256).optional(),
    webhookUrl: z.string().min(1).max(2048).optional(),
    webhookSecret: z.string().min(16).max(512).optional(),
    webhookPreviousSecret: z.string().min(16).max(512).optional().meta({
      description:
        'Beyond Velt, optional: while receivers rotate, the secret they knew before. It also signs webhook-signature (x-velt-signature keeps webhookSecret).',
    }),
  })
  .superRefine((data, ctx) => {
    if ((data.webhookUrl === undefined) !== (data.webhookSecret === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [data.webhookUrl === undefined ? 'webhookUrl' : 'webhookSecret'],
        message: 'webhookUrl and webhookSecret must be provided together',
      });
    }
    if (data.webhookPreviousSecret !== undefined && data.webhookSecret === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['webhookPreviousSecret'],
        message: 'webhookPreviousSecret needs webhookUrl and webhookSecret',
      });
    }
  });
export type DispatchRequest = z.infer<typeof DispatchRequestSchema>;

export const GetExecutionRequestSchema = z.strictObject({ executionId: ExecutionIdSchema });

export const ListExecutionsRequestSchema = z.strictObject({
  definitionId: DefinitionIdSchema.optional(),
  status: z.enum(EXECUTION_STATUSES).optional(),
  pageSize: PageSizeSchema(50),
  /** The `nextCursor` of the previous page, or a run's `startedAt` (epoch ms, a number or a decimal string) as G3 clients send. */
  cursor: z.union([z.string().min(1).max(4096), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]).optional(),
});
export type ListExecutionsRequest = z.infer<typeof ListExecutionsRequestSchema>;

export const CancelExecutionRequestSchema = z.strictObject({
  executionId: ExecutionIdSchema,
  reason: z.string().max(500).optional(),
});

export const GetEventsRequestSchema = z.strictObject({
  executionId: ExecutionIdSchema,
  sinceSeq: z.number().int().min(0).default(0),
  pageSize: PageSizeSchema(100),
});
