import { randomUUID } from 'node:crypto';

/** Each test gets its own task queue so files can share one server without stealing each other's tasks. */
export const uniqueTaskQueue = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;
