import type { CanonicalDefinition, StoredDefinition } from './canonical';

/** Version 1 of a freshly created definition; `now` is passed in (pure code reads no clock). */
export const createStoredDefinition = (definition: CanonicalDefinition, now: number): StoredDefinition => ({
  ...definition,
  version: 1,
  status: 'active',
  createdAt: now,
  updatedAt: now,
});

/** The next version after a successful update: content replaced, createdAt kept. */
export const updateStoredDefinition = (stored: StoredDefinition, definition: CanonicalDefinition, now: number): StoredDefinition => ({
  ...definition,
  version: stored.version + 1,
  status: stored.status,
  createdAt: stored.createdAt,
  updatedAt: now,
});

/** Only the content, e.g. to pin it on an execution or to merge an update into. */
export const canonicalContent = (stored: StoredDefinition): CanonicalDefinition => {
  const { version: _version, status: _status, createdAt: _createdAt, updatedAt: _updatedAt, ...content } = stored;
  return content;
};
