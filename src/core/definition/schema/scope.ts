import { z } from 'zod';
import { storableText } from '../../requests/common';
import { LIMITS } from './limits';

export const ScopeLevelSchema = z.enum(['apiKey', 'organization', 'document']);
export type ScopeLevel = z.infer<typeof ScopeLevelSchema>;

/** An indexed value of the definition's workflow (docs/api.md, "Common formats"). */
export const ScopeIdSchema = storableText(z.string().min(1).max(LIMITS.scopeIdMaxChars));

export const ScopeSchema = z
  .strictObject({
    level: ScopeLevelSchema,
    organizationId: ScopeIdSchema.nullish().meta({ description: 'Required for organization and document scope.' }),
    documentId: ScopeIdSchema.nullish().meta({ description: 'Required for document scope.' }),
  })
  .meta({ description: 'Default { level: "apiKey" } (the whole workspace).' });
export type Scope = z.infer<typeof ScopeSchema>;

/** The stored and echoed scope: ids as sent, null when not part of the level. */
export interface CanonicalScope {
  level: ScopeLevel;
  organizationId: string | null;
  documentId: string | null;
}

export interface ScopeFields {
  scope?: Scope | null | undefined;
  organizationId?: string | null | undefined;
  documentId?: string | null | undefined;
}

export interface ScopeIssue {
  path: (string | number)[];
  message: string;
}

type IdField = 'organizationId' | 'documentId';
const allowedAt: Record<IdField, readonly ScopeLevel[]> = {
  organizationId: ['organization', 'document'],
  documentId: ['document'],
};
const allowedText: Record<IdField, string> = {
  organizationId: 'scope.level is "organization" or "document"',
  documentId: 'scope.level is "document"',
};

/** Required-when rules of docs/api.md, "Scope", for the `scope.*` ids and the top-level ids alike (which must agree). */
export const scopeIssues = (fields: ScopeFields): ScopeIssue[] => {
  const level = fields.scope?.level ?? 'apiKey';
  const issues: ScopeIssue[] = [];
  for (const field of ['organizationId', 'documentId'] as const) {
    const inScope = fields.scope?.[field] ?? undefined;
    const topLevel = fields[field] ?? undefined;
    if (inScope !== undefined && topLevel !== undefined && inScope !== topLevel) {
      issues.push({ path: [field], message: `must match scope.${field} ("${inScope}")` });
    }
    const given = inScope ?? topLevel;
    if (allowedAt[field].includes(level)) {
      if (given === undefined) issues.push({ path: ['scope', field], message: `required when scope.level is "${level}"` });
    } else if (given !== undefined) {
      issues.push({ path: inScope !== undefined ? ['scope', field] : [field], message: `only allowed when ${allowedText[field]}` });
    }
  }
  return issues;
};

/** Call only on fields `scopeIssues` accepted. */
export const resolveScope = (fields: ScopeFields): CanonicalScope => {
  const level = fields.scope?.level ?? 'apiKey';
  const pick = (field: IdField): string | null =>
    allowedAt[field].includes(level) ? (fields.scope?.[field] ?? fields[field] ?? null) : null;
  return { level, organizationId: pick('organizationId'), documentId: pick('documentId') };
};
