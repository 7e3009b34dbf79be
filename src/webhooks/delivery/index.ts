export { createDeliverWebhook, type DeliverWebhookDeps } from './deliver-webhook';
export { isForbiddenAddress } from '../../infra/outbound/ip-ranges';
export {
  checkWebhookUrlSyntax,
  resolveAndCheck,
  MSG_CREDENTIALS,
  MSG_HTTPS,
  MSG_INVALID_URL,
  MSG_PRIVATE,
  type LookupAll,
  type LookupAllAddress,
  type ResolveResult,
  type SsrfOptions,
} from '../../infra/outbound/ssrf-guard';
export {
  deliverOnce,
  unreachableMessage,
  DEFAULT_DELIVERY_TIMEOUT_MS,
  MAX_RESPONSE_BYTES,
  WEBHOOK_USER_AGENT,
  type DeliverOnceInput,
} from './deliver-once';
