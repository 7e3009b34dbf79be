import type { Client } from '@temporalio/client';
import { DefinitionStore } from '../src/infra/temporal/definition-store';

/** What the endpoints talk to; all of it is a thin face over Temporal. */
export interface EngineServices {
  definitions: DefinitionStore;
}

export const createEngineServices = (client: Client, taskQueue: string): EngineServices => ({
  definitions: new DefinitionStore(client, taskQueue),
});
