import { z } from 'zod';
import { LIMITS } from './limits';

export const TriggerSchema = z
  .strictObject({
    triggerId: z.string().min(1).max(LIMITS.triggerIdMaxChars),
    eventName: z.string().max(LIMITS.eventNameMaxChars).optional(),
    filters: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ description: 'Descriptive metadata only in v1; the engine never dispatches from it.' });
export type Trigger = z.infer<typeof TriggerSchema>;
