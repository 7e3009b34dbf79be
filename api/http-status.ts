import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../src/core/errors';

export const HTTP_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  RESOURCE_EXHAUSTED: 429,
  DEADLINE_EXCEEDED: 504,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};
