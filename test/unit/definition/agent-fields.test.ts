import { describe, expect, it } from 'vitest';
import { agent, definition, expectValid, messagesOf } from './helpers';

/** The agent fields Velt's newer contract added (docs/behaviour.md, "G3 runtime"), at and over their bounds. */

const withAgent = (config: Record<string, unknown>) => definition({ nodes: [agent('a', config)] });

describe('agent config: url, crossPageExecute, maxUrlsToProcess, userContextMapping, pollIntervalMs', () => {
  it('accepts every field at its bounds and stores them as sent (no defaults written)', () => {
    const config = {
      url: `https://example.com/${'p'.repeat(2000 - 'https://example.com/'.length)}`,
      urlPath: 'page.url',
      crossPageExecute: true,
      maxUrlsToProcess: 500,
      userContextMapping: { email: 'user.email', plan: 'triggerContext.account.plan' },
      pollIntervalMs: 60_000,
    };
    expect(config.url).toHaveLength(2000);
    const stored = expectValid(withAgent(config));
    expect(stored.nodes[0]).toMatchObject({ config });
    expect(expectValid(withAgent({ maxUrlsToProcess: 1, pollIntervalMs: 5000 })).nodes[0]).toMatchObject({
      config: { maxUrlsToProcess: 1, pollIntervalMs: 5000 },
    });
    const plain = expectValid(withAgent({})).nodes[0]!.config;
    for (const field of ['url', 'crossPageExecute', 'maxUrlsToProcess', 'userContextMapping', 'pollIntervalMs']) {
      expect(plain).not.toHaveProperty(field);
    }
  });

  it.each([
    ['url over 2000 chars', { url: 'u'.repeat(2001) }, /^data\.nodes\[0\]\.config\.url: Too big/],
    ['an empty url', { url: '' }, /^data\.nodes\[0\]\.config\.url: Too small/],
    ['crossPageExecute not a boolean', { crossPageExecute: 'yes' }, /^data\.nodes\[0\]\.config\.crossPageExecute: /],
    ['maxUrlsToProcess over 500', { maxUrlsToProcess: 501 }, /^data\.nodes\[0\]\.config\.maxUrlsToProcess: Too big/],
    ['maxUrlsToProcess 0', { maxUrlsToProcess: 0 }, /^data\.nodes\[0\]\.config\.maxUrlsToProcess: Too small/],
    ['maxUrlsToProcess not an integer', { maxUrlsToProcess: 2.5 }, /^data\.nodes\[0\]\.config\.maxUrlsToProcess: /],
    ['pollIntervalMs under 5000', { pollIntervalMs: 4999 }, /^data\.nodes\[0\]\.config\.pollIntervalMs: Too small/],
    ['pollIntervalMs over 60000', { pollIntervalMs: 60_001 }, /^data\.nodes\[0\]\.config\.pollIntervalMs: Too big/],
    [
      'a userContextMapping path that is not a string',
      { userContextMapping: { email: 3 } },
      /^data\.nodes\[0\]\.config\.userContextMapping\.email: /,
    ],
    ['an empty userContextMapping path', { userContextMapping: { email: '' } }, /^data\.nodes\[0\]\.config\.userContextMapping\.email: /],
    ['agentMaxRuntimeMs over 24 hours', { agentMaxRuntimeMs: 86_400_001 }, /^data\.nodes\[0\]\.config\.agentMaxRuntimeMs: Too big/],
  ])('refuses %s, naming the field', (_, config, message) => {
    expect(messagesOf(withAgent(config))[0]).toMatch(message);
  });
});
