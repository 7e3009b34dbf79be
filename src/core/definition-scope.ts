/** Decisions §3: a scoped definition is addressable only with the ids of its scope. */
export interface ScopeLike {
  level: 'apiKey' | 'organization' | 'document';
  organizationId: string | null;
  documentId: string | null;
}

export const scopeMatches = (scope: ScopeLike, ids: { organizationId?: string | undefined; documentId?: string | undefined }): boolean => {
  switch (scope.level) {
    case 'apiKey':
      return true;
    case 'organization':
      return ids.organizationId === scope.organizationId;
    case 'document':
      return ids.organizationId === scope.organizationId && ids.documentId === scope.documentId;
  }
};
