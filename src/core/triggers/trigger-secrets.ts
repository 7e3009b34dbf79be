import type { CanonicalDefinition } from '../definition/canonical';
import { EngineError, failedPrecondition, invalidArgument } from '../errors';

export const APP_TRIGGER_UNSUPPORTED =
  'appTrigger requires a connected GitHub App / Vercel integration, which this engine does not provide';

/** An appTrigger is checked like any field, then refused loudly (docs/inbound.md, "appTrigger"). */
export const refuseAppTriggers = (content: CanonicalDefinition): void => {
  const index = (content.triggers ?? []).findIndex((trigger) => trigger.appTrigger !== undefined);
  if (index >= 0) throw failedPrecondition(APP_TRIGGER_UNSUPPORTED, { field: `data.triggers[${index}].appTrigger` });
};

/**
 * Takes every inbound trigger's `secret` out of the definition and keeps it sealed beside it
 * (`triggerSecrets`), so neither a view nor Temporal's history shows it. A trigger sent without a
 * secret keeps the one stored under its triggerId (a view sent back as an update omits it).
 */
export const sealTriggerSecrets = (
  content: CanonicalDefinition,
  stored: Pick<CanonicalDefinition, 'triggerSecrets'> | null,
  seal: ((secret: string) => string) | undefined,
): CanonicalDefinition => {
  const triggerSecrets: Record<string, string> = {};
  const triggers = (content.triggers ?? []).map((trigger, index) => {
    if (!trigger.inboundWebhook) return trigger;
    const { secret, ...inboundWebhook } = trigger.inboundWebhook;
    const kept = stored?.triggerSecrets?.[trigger.triggerId];
    if (secret !== undefined) {
      if (!seal) {
        throw new EngineError('FAILED_PRECONDITION', 'inbound webhook triggers are not configured on this server (APPROVAL_SECRETS_KEY)');
      }
      triggerSecrets[trigger.triggerId] = seal(secret);
    } else if (kept !== undefined) {
      triggerSecrets[trigger.triggerId] = kept;
    } else {
      throw invalidArgument(`data.triggers[${index}].inboundWebhook.secret: required (16 to 512 characters)`);
    }
    return { ...trigger, inboundWebhook };
  });
  const { triggerSecrets: _previous, ...rest } = content;
  if (triggers.length === 0 || Object.keys(triggerSecrets).length === 0) return { ...rest, triggers: content.triggers };
  return { ...rest, triggers, triggerSecrets };
};
