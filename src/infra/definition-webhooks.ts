import type { CanonicalDefinition, DefinitionWebhookConfig, StoredWebhookConfig } from '../core/definition';
import type { EngineError } from '../core/errors';
import { failedPrecondition } from '../core/errors';
import type { SecretBox } from './secrets/secret-box';

/*
 * The write-time side of the URLs a definition makes the engine call (docs/inbound.md): webhook
 * node URLs and `webhookConfig.url` pass the same rules as a dispatch `webhookUrl` (checked again
 * before every call), and the `webhookConfig` secret is sealed before it is stored.
 */

export interface OutboundDeps {
  secretBox: SecretBox | undefined;
  checkOutboundUrl: (url: string, subject: string) => EngineError | null;
}

/** Refuses the first webhook node whose URL breaks the outbound rules, naming the field. */
export const checkWebhookNodeUrls = (content: CanonicalDefinition, deps: OutboundDeps): void => {
  content.nodes.forEach((node, index) => {
    if (node.type !== 'webhook' || typeof node.config.url !== 'string') return;
    const problem = deps.checkOutboundUrl(node.config.url, `data.nodes[${index}].config.url`);
    if (problem) throw problem;
  });
};

export const sealWebhookConfig = (config: DefinitionWebhookConfig, deps: OutboundDeps): StoredWebhookConfig => {
  const problem = deps.checkOutboundUrl(config.url, 'data.webhookConfig.url');
  if (problem) throw problem;
  if (!deps.secretBox) throw failedPrecondition('webhookConfig needs APPROVAL_SECRETS_KEY on this server to seal its secret');
  return {
    url: config.url,
    sealedSecret: deps.secretBox.seal(config.secret),
    eventTypes: config.eventTypes ? [...config.eventTypes] : null,
  };
};

/**
 * The webhookConfig an update leaves: the one it sends, none when it sends null or replaces the
 * whole definition without one, else the stored one.
 */
export const updatedWebhookConfig = (
  sent: DefinitionWebhookConfig | null | undefined,
  stored: StoredWebhookConfig | undefined,
  fullReplace: boolean,
  deps: OutboundDeps,
): StoredWebhookConfig | undefined => {
  if (sent) return sealWebhookConfig(sent, deps);
  if (sent === null || fullReplace) return undefined;
  return stored;
};

/** The content to store: the validated definition with its sealed webhookConfig, if any. */
export const withWebhookConfig = (content: CanonicalDefinition, config: StoredWebhookConfig | undefined): CanonicalDefinition => {
  const { webhookConfig: _dropped, ...rest } = content;
  return config === undefined ? rest : { ...rest, webhookConfig: config };
};
