import { z } from 'zod';
import { canonicalTimeZone, isFiveFieldCron } from '../../triggers/cron';
import { storableText } from '../../requests/common';
import { LIMITS } from './limits';

/*
 * Trigger entries (docs/inbound.md, "Inbound triggers" and "Schedules"). An entry without a
 * mechanism stays descriptive metadata, as before; `inboundWebhook` and `schedule` start runs,
 * `appTrigger` is checked and then refused by the write path (this engine has no GitHub App).
 */

export const INBOUND_PROVIDERS = ['velt', 'github', 'vercel', 'custom'] as const;
export type InboundProvider = (typeof INBOUND_PROVIDERS)[number];

export const TRIGGER_MESSAGES = {
  hmacOnly: 'inboundWebhook provider="github"/"vercel"/"custom" requires authMode="hmac"',
  customHmac: 'inboundWebhook with provider="custom" and authMode="hmac" requires signatureHeader and signatureAlgorithm',
  cron: 'schedule.cron must be a valid 5-field cron expression',
  timezone: 'schedule.timezone must be a valid IANA timezone name (e.g. America/Los_Angeles)',
  exclusive: 'a trigger declares at most one of inboundWebhook, schedule, appTrigger',
} as const;

const EventNameSchema = z.string().min(1).max(128);
const HeaderNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/, 'must be an HTTP header name');

const CUSTOM_ONLY = ['signatureHeader', 'signatureAlgorithm', 'signaturePrefix', 'eventNameHeader'] as const;

export const InboundWebhookSchema = z
  .strictObject({
    authMode: z.enum(['hmac', 'bearer']),
    secret: z
      .string()
      .min(16)
      .max(512)
      .optional()
      .meta({ description: 'Write-only (sealed, never shown). Required on create; an update may omit it to keep the stored one.' }),
    provider: z.enum(INBOUND_PROVIDERS).optional(),
    signatureHeader: HeaderNameSchema.optional(),
    signatureAlgorithm: z.enum(['sha1', 'sha256']).optional(),
    signaturePrefix: z.string().max(64).optional(),
    eventNameHeader: HeaderNameSchema.optional(),
    allowedEvents: z.array(EventNameSchema).min(1).max(50).optional(),
    idempotencyHeader: HeaderNameSchema.optional(),
    idempotencyBodyPath: z.string().min(1).max(256).optional(),
    payloadMapping: z.enum(['pass-through', 'wrap']).optional(),
  })
  .superRefine((config, ctx) => {
    const provider = config.provider ?? 'velt';
    if (provider !== 'velt' && config.authMode !== 'hmac') {
      ctx.addIssue({ code: 'custom', path: ['authMode'], message: TRIGGER_MESSAGES.hmacOnly });
    }
    if (provider === 'custom' && config.authMode === 'hmac' && (!config.signatureHeader || !config.signatureAlgorithm)) {
      ctx.addIssue({
        code: 'custom',
        path: [config.signatureHeader ? 'signatureAlgorithm' : 'signatureHeader'],
        message: TRIGGER_MESSAGES.customHmac,
      });
    }
    if (provider !== 'custom') {
      for (const key of CUSTOM_ONLY) {
        if (config[key] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [key], message: `only allowed with provider="custom" (the ${provider} preset fixes it)` });
        }
      }
    }
  });
export type InboundWebhookTrigger = z.infer<typeof InboundWebhookSchema>;

export const ScheduleTriggerSchema = z.strictObject({
  cron: z.string().refine(isFiveFieldCron, TRIGGER_MESSAGES.cron),
  timezone: z.string().refine((name) => canonicalTimeZone(name) !== null, TRIGGER_MESSAGES.timezone),
  enabled: z.boolean(),
  payloadTemplate: z.record(z.string(), z.unknown()).optional().meta({ description: 'Copied into triggerContext.schedule.payload.' }),
});
export type ScheduleTrigger = z.infer<typeof ScheduleTriggerSchema>;

export const AppTriggerSchema = z.strictObject({
  provider: z.enum(['github', 'vercel']),
  installationRef: z.string().min(1).max(256),
  repoFilter: z.array(z.string().min(1).max(256)).max(200).optional(),
  projectFilter: z.array(z.string().min(1).max(256)).max(200).optional(),
  allowedEvents: z.array(EventNameSchema).min(1).max(50).optional(),
  payloadFilters: z
    .array(z.strictObject({ path: z.string().min(1).max(256), in: z.array(z.unknown()).min(1).max(100) }))
    .max(20)
    .optional(),
});

export const TriggerSchema = z
  .strictObject({
    // Part of the trigger's schedule id (docs/api.md, "Common formats").
    triggerId: storableText(z.string().min(1).max(LIMITS.triggerIdMaxChars)),
    eventName: z.string().max(LIMITS.eventNameMaxChars).optional(),
    filters: z.record(z.string(), z.unknown()).optional(),
    inboundWebhook: InboundWebhookSchema.optional(),
    schedule: ScheduleTriggerSchema.optional(),
    appTrigger: AppTriggerSchema.optional(),
  })
  .superRefine((trigger, ctx) => {
    const mechanisms = (['inboundWebhook', 'schedule', 'appTrigger'] as const).filter((key) => trigger[key] !== undefined);
    if (mechanisms.length > 1) ctx.addIssue({ code: 'custom', path: [mechanisms[1]!], message: TRIGGER_MESSAGES.exclusive });
  })
  .meta({ description: 'An entry with inboundWebhook or schedule starts runs; one without a mechanism is descriptive metadata.' });
export type Trigger = z.infer<typeof TriggerSchema>;

/** Ids address a trigger (the inbound route, its schedule): entries with a mechanism need distinct ones. */
export const TriggersSchema = z
  .array(TriggerSchema)
  .max(LIMITS.triggers.max)
  .superRefine((triggers, ctx) => {
    const seen = new Set<string>();
    triggers.forEach((trigger, index) => {
      if (!trigger.inboundWebhook && !trigger.schedule && !trigger.appTrigger) return;
      if (seen.has(trigger.triggerId)) {
        ctx.addIssue({ code: 'custom', path: [index, 'triggerId'], message: `"${trigger.triggerId}" is already used by another trigger` });
      }
      seen.add(trigger.triggerId);
    });
  });
