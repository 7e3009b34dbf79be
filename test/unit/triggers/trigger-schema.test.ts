import { describe, expect, it } from 'vitest';
import { toDefinitionView, validateDefinition, type CanonicalDefinition } from '../../../src/core/definition';
import { canonicalTimeZone, isFiveFieldCron } from '../../../src/core/triggers/cron';
import { APP_TRIGGER_UNSUPPORTED, refuseAppTriggers, sealTriggerSecrets } from '../../../src/core/triggers/trigger-secrets';
import { EngineError } from '../../../src/core/errors';

type Json = Record<string, any>;

const definition = (triggers: Json[]): Json => ({
  definitionId: 'nightly-audit',
  name: 'Nightly audit',
  nodes: [{ nodeId: 'scan', type: 'agent', config: { agentId: '__mock__' } }],
  edges: [],
  triggers,
});

const refusal = (triggers: Json[]): string => {
  const result = validateDefinition(definition(triggers));
  if (result.ok) throw new Error('expected a refusal');
  return result.error.message;
};

const accepted = (triggers: Json[]): CanonicalDefinition => {
  const result = validateDefinition(definition(triggers));
  if (!result.ok) throw result.error;
  return result.definition;
};

const SECRET = 'github-webhook-secret-0123';
const github = { authMode: 'hmac', secret: SECRET, provider: 'github', allowedEvents: ['push'], idempotencyHeader: 'x-github-delivery' };

describe('cron and time zones', () => {
  it.each(['0 2 * * *', '*/15 9-17 * * MON-FRI', '0 0 1,15 * *', '30 6 * JAN,JUL sun', '0 0 * * 7', '5-10/2 * * * *'])(
    'accepts %s',
    (cron) => expect(isFiveFieldCron(cron)).toBe(true),
  );
  it.each([
    '',
    '0 2 * *',
    '0 0 2 * * *',
    '@daily',
    '60 * * * *',
    '* 24 * * *',
    '* * 0 * *',
    '* * * 13 *',
    '* * * * 8',
    '5-1 * * * *',
    '*/0 * * * *',
    'CRON_TZ=UTC 0 2 * * *',
    '1,,2 * * * *',
  ])('refuses %j', (cron) => expect(isFiveFieldCron(cron)).toBe(false));
  it('resolves IANA zones and refuses the rest', () => {
    expect(canonicalTimeZone('America/Los_Angeles')).toBe('America/Los_Angeles');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
    expect(canonicalTimeZone('America/Los Angeles')).toBeNull();
  });
});

describe('trigger schema', () => {
  it('accepts the documented shapes, and descriptive entries as before', () => {
    const stored = accepted([
      { triggerId: 'label-only', eventName: 'x' },
      { triggerId: 'ci', inboundWebhook: github },
      { triggerId: 'nightly', schedule: { cron: '0 2 * * *', timezone: 'America/Los_Angeles', enabled: true, payloadTemplate: { a: 1 } } },
      { triggerId: 'bearer', inboundWebhook: { authMode: 'bearer', secret: SECRET } },
      {
        triggerId: 'custom',
        inboundWebhook: { authMode: 'hmac', secret: SECRET, provider: 'custom', signatureHeader: 'x-sig', signatureAlgorithm: 'sha1' },
      },
    ]);
    expect(stored.triggers).toHaveLength(5);
  });

  it.each([
    [
      [{ triggerId: 't', inboundWebhook: { authMode: 'bearer', secret: SECRET, provider: 'github' } }],
      /triggers\[0\]\.inboundWebhook\.authMode: inboundWebhook provider="github"\/"vercel"\/"custom" requires authMode="hmac"$/,
    ],
    [
      [{ triggerId: 't', inboundWebhook: { authMode: 'hmac', secret: SECRET, provider: 'custom', signatureHeader: 'x-sig' } }],
      /inboundWebhook with provider="custom" and authMode="hmac" requires signatureHeader and signatureAlgorithm$/,
    ],
    [
      [{ triggerId: 't', inboundWebhook: { ...github, signatureHeader: 'x-other' } }],
      /signatureHeader: only allowed with provider="custom"/,
    ],
    [[{ triggerId: 't', inboundWebhook: { ...github, secret: 'short' } }], /inboundWebhook\.secret: Too small/],
    [[{ triggerId: 't', inboundWebhook: { ...github, allowedEvents: [] } }], /allowedEvents: Too small/],
    [
      [{ triggerId: 't', schedule: { cron: '0 2 * *', timezone: 'UTC', enabled: true } }],
      /schedule\.cron: schedule\.cron must be a valid 5-field cron expression$/,
    ],
    [
      [{ triggerId: 't', schedule: { cron: '0 2 * * *', timezone: 'Mars/Base', enabled: true } }],
      /schedule\.timezone must be a valid IANA timezone name \(e\.g\. America\/Los_Angeles\)$/,
    ],
    [[{ triggerId: 't', schedule: { cron: '0 2 * * *', timezone: 'UTC' } }], /schedule\.enabled/],
    [
      [{ triggerId: 't', inboundWebhook: github, schedule: { cron: '0 2 * * *', timezone: 'UTC', enabled: true } }],
      /triggers\[0\]\.schedule: a trigger declares at most one of inboundWebhook, schedule, appTrigger/,
    ],
    [
      [
        { triggerId: 't', inboundWebhook: github },
        { triggerId: 't', schedule: { cron: '0 2 * * *', timezone: 'UTC', enabled: true } },
      ],
      /triggers\[1\]\.triggerId: "t" is already used by another trigger/,
    ],
    [[{ triggerId: 't', appTrigger: { provider: 'gitlab', installationRef: '1' } }], /appTrigger\.provider/],
  ])('refuses %j', (triggers, message) => {
    expect(refusal(triggers)).toMatch(message);
  });
});

describe('write path', () => {
  const seal = (secret: string) => `sealed(${secret})`;

  it('seals inbound secrets beside the definition and never shows them', () => {
    const content = sealTriggerSecrets(accepted([{ triggerId: 'ci', inboundWebhook: github }]), null, seal);
    expect(content.triggerSecrets).toEqual({ ci: `sealed(${SECRET})` });
    expect(JSON.stringify(content.triggers)).not.toContain(SECRET);
    const view = toDefinitionView({ definitionId: 'nightly-audit', version: 1, status: 'active', createdAt: 1, updatedAt: 1, content });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(JSON.stringify(view)).not.toContain('sealed(');
    expect(view.triggers?.[0]).toEqual({ triggerId: 'ci', inboundWebhook: { ...github, secret: undefined } });
  });

  it('keeps the stored secret when an update omits it, and requires one otherwise', () => {
    const { secret: _secret, ...withoutSecret } = github;
    const stored = { triggerSecrets: { ci: 'sealed(old)' } };
    const kept = sealTriggerSecrets(accepted([{ triggerId: 'ci', inboundWebhook: withoutSecret }]), stored, seal);
    expect(kept.triggerSecrets).toEqual({ ci: 'sealed(old)' });
    const replaced = sealTriggerSecrets(accepted([{ triggerId: 'ci', inboundWebhook: github }]), stored, seal);
    expect(replaced.triggerSecrets).toEqual({ ci: `sealed(${SECRET})` });
    expect(() => sealTriggerSecrets(accepted([{ triggerId: 'other', inboundWebhook: withoutSecret }]), stored, seal)).toThrow(
      'data.triggers[0].inboundWebhook.secret: required (16 to 512 characters)',
    );
    const removed = sealTriggerSecrets(accepted([]), stored, seal);
    expect(removed.triggerSecrets).toBeUndefined();
  });

  it('refuses to seal without a secrets key', () => {
    expect(() => sealTriggerSecrets(accepted([{ triggerId: 'ci', inboundWebhook: github }]), null, undefined)).toThrow(
      /APPROVAL_SECRETS_KEY/,
    );
  });

  it('refuses an appTrigger after checking it', () => {
    const content = accepted([
      { triggerId: 'gh', appTrigger: { provider: 'github', installationRef: '41234567', allowedEvents: ['push'] } },
    ]);
    let error: unknown;
    try {
      refuseAppTriggers(content);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).status).toBe('FAILED_PRECONDITION');
    expect((error as EngineError).message).toBe(APP_TRIGGER_UNSUPPORTED);
  });
});
