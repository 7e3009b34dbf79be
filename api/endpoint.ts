import type { z } from 'zod';
import type { Principal } from '../src/infra/auth/workspace-registry';
import type { EngineServices } from './services';

export interface EndpointContext {
  principal: Principal;
  services: EngineServices;
  /** `data` exactly as sent (validated by `request`); for what must be echoed verbatim. */
  raw: Record<string, unknown>;
}

/** One REST endpoint: its request schema drives validation and the OpenAPI document alike. */
export interface Endpoint<S extends z.ZodType = z.ZodType, R = unknown> {
  path: `/v2/workflow/${string}`;
  summary: string;
  request: S;
  /** What the OpenAPI document shows when `request` cannot be described (e.g. it transforms). */
  documentedRequest?: z.ZodType;
  handle: (input: z.infer<S>, context: EndpointContext) => Promise<R>;
}

export const defineEndpoint = <S extends z.ZodType, R>(endpoint: Endpoint<S, R>): Endpoint<S, R> => endpoint;
