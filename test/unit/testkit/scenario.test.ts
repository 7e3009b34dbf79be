import { describe, expect, it } from 'vitest';
import { formatVirtualTime, parseScenario } from '../../../src/testkit';

describe('scenario validation names the field', () => {
  it.each<[unknown, string]>([
    [
      { steps: [{ at: 'soon', decide: { node: 'n', reviewer: 'u', decision: 'approve' } }] },
      'scenario.steps[0].at: must be a duration like "48h", "30m", "2d" or milliseconds, between 0 and 366 days; got "soon"',
    ],
    [{ steps: [{ at: '1h' }] }, 'scenario.steps[0]: must be an object with "at" and exactly one of "decide", "resolveAgent", "cancel"'],
    [{ steps: [{ at: '1h', decide: { node: 'n', reviewer: 'u', decision: 'maybe' } }] }, 'scenario.steps[0].decide.decision: '],
    [{ agents: { 'agent-draft': { outcome: 'sometimes' } } }, 'scenario.agents.agent-draft[0].outcome: '],
    [{ runUntil: '400d' }, 'scenario.runUntil: must be a duration'],
    [{ expect: { steps: { review: 'done' } } }, 'scenario.expect.steps.review: '],
    [{ surprise: 1 }, 'scenario.surprise: Unrecognized key'],
    [{ webhooks: { 'notify-cms': { outcome: 'success', status: 404 } } }, 'scenario.webhooks.notify-cms[0].status: '],
    [
      { webhooks: { 'notify-cms': [{ outcome: 'success' }, { outcome: 'failure', status: 700 }] } },
      'scenario.webhooks.notify-cms[1].status: ',
    ],
    [{ webhooks: { 'notify-cms': { outcome: 'failure', body: {} } } }, 'scenario.webhooks.notify-cms[0].body: Unrecognized key'],
    [{ notifications: { 'email-editor': { outcome: 'bounced' } } }, 'scenario.notifications.email-editor[0].outcome: '],
    [{ notifications: { 'email-editor': { outcome: 'failure', message: '' } } }, 'scenario.notifications.email-editor[0].message: '],
    [{ steps: [{ at: '1h', callback: { node: 'notify-cms', status: 'done' } }] }, 'scenario.steps[0].callback.status: '],
    [{ steps: [{ at: '1h', callback: { status: 'completed' } }] }, 'scenario.steps[0].callback.node: '],
    [
      { steps: [{ at: '1h', callback: { node: 'notify-cms', status: 'completed' }, cancel: {} }] },
      'scenario.steps[0]: must be an object with "at" and exactly one of "decide", "resolveAgent", "cancel", "callback"',
    ],
  ])('%j', (input, message) => {
    expect(() => parseScenario(input)).toThrow(message);
  });

  it('reads durations and normalises agent outcomes to one list per node', () => {
    const scenario = parseScenario({
      agents: { 'agent-draft': { outcome: 'success' } },
      steps: [
        { at: '48h', decide: { node: 'review', reviewer: 'u', decision: 'approve' } },
        { at: 90_000, cancel: {} },
      ],
      runUntil: '2d',
    });
    expect(scenario.steps.map((step) => step.at)).toEqual([48 * 3_600_000, 90_000]);
    expect(scenario.runUntil).toBe(2 * 86_400_000);
    expect(scenario.agents).toEqual({ 'agent-draft': [{ outcome: 'success' }] });
  });
});

describe('formatVirtualTime', () => {
  it('prints time since dispatch', () => {
    expect(formatVirtualTime(5_000)).toBe('+5s');
    expect(formatVirtualTime(48 * 3_600_000)).toBe('+2d 00h00m');
    expect(formatVirtualTime(90 * 60_000 + 7_000)).toBe('+01h30m07s');
  });
});
