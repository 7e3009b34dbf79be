import { describe, expect, it } from 'vitest';
import { useEngine } from '../support/engine';
import { expectError, freshId, ok } from '../support/rest-api';

/*
 * With the outbound rules on (WEBHOOK_ALLOW_PRIVATE_TARGETS off, as in production), a definition
 * whose webhook node or webhookConfig points at a private, loopback or plain-http address is
 * refused at write time, naming the field (docs/inbound.md).
 */

const engine = useEngine({ allowPrivateTargets: false });
const api = engine.admin;

const withNode = (url: string) => ({
  definitionId: freshId('ssrf'),
  name: 'Outbound rules',
  nodes: [{ nodeId: 'call', type: 'webhook', config: { url, authMode: 'none' } }],
  edges: [],
});

const withConfig = (url: string) => ({
  definitionId: freshId('ssrf'),
  name: 'Outbound rules',
  nodes: [{ nodeId: 'draft', type: 'agent', config: { agentId: '__mock__' } }],
  edges: [],
  webhookConfig: { url, secret: 'whsec_rules_0123456789abcdef' },
});

describe('outbound URL rules at write time', () => {
  it.each([
    ['https://127.0.0.1/hook', 'data.nodes[0].config.url host resolves to a private, loopback, or link-local address'],
    ['https://169.254.169.254/latest/meta-data', 'data.nodes[0].config.url host resolves to a private, loopback, or link-local address'],
    ['https://[::ffff:10.0.0.1]/hook', 'data.nodes[0].config.url host resolves to a private, loopback, or link-local address'],
    ['https://metadata.google.internal/', 'data.nodes[0].config.url host resolves to a private, loopback, or link-local address'],
    ['http://hooks.example.com/hook', 'data.nodes[0].config.url must use https scheme'],
  ])('a webhook node calling %s is refused', async (url, message) => {
    expect(expectError(await api.post('definitions/create', withNode(url)), 'INVALID_ARGUMENT', 400).message).toBe(message);
  });

  it('a webhookConfig pointing at a private address is refused, on create and on update', async () => {
    const refused = expectError(await api.post('definitions/create', withConfig('https://10.1.2.3/events')), 'INVALID_ARGUMENT', 400);
    expect(refused.message).toBe('data.webhookConfig.url host resolves to a private, loopback, or link-local address');
    const accepted = withConfig('https://hooks.example.com/events');
    ok(await api.post('definitions/create', accepted));
    const update = await api.post('definitions/update', {
      definitionId: accepted.definitionId,
      ifVersion: 1,
      webhookConfig: { url: 'https://localhost/events', secret: 'whsec_rules_0123456789abcdef' },
    });
    expect(expectError(update, 'INVALID_ARGUMENT', 400).message).toBe(
      'data.webhookConfig.url host resolves to a private, loopback, or link-local address',
    );
  });

  it('a public https URL is accepted (resolved and checked again before every call)', async () => {
    ok(await api.post('definitions/create', withNode('https://hooks.example.com/hook')));
  });
});
