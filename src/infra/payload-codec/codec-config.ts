import { z } from 'zod';
import { payloadKeysField } from './payload-keys';

const origins = z.string().transform((value, ctx): string[] => {
  const list = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const origin of list) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin || !/^https?:$/.test(parsed.protocol)) {
      ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin like https://temporal-ui.example.com` });
      return z.NEVER;
    }
  }
  return list;
});

/** Payload encryption and the codec endpoint for the Temporal Web UI (docs/operations.md). */
export const payloadCodecFields = {
  APPROVAL_PAYLOAD_KEYS: payloadKeysField.optional(),
  APPROVAL_OPERATOR_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  APPROVAL_CODEC_CORS_ORIGINS: origins.optional(),
};
