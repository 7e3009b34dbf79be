import { describe, expect, it } from 'vitest';
import { decideRestart, RESTART_POLICY } from '../../../src/infra/dev/restart-policy';

describe('decideRestart (npm start, a worker or API that died after it was up)', () => {
  it.each([
    [0, 5_000, { action: 'restart', delayMs: 1_000, quickDeaths: 1 }],
    [1, 5_000, { action: 'restart', delayMs: 2_000, quickDeaths: 2 }],
    [2, 5_000, { action: 'restart', delayMs: 4_000, quickDeaths: 3 }],
    [3, 5_000, { action: 'restart', delayMs: 8_000, quickDeaths: 4 }],
    [4, 5_000, { action: 'give-up', quickDeaths: 5 }],
    // A run of a minute or more was healthy: the series starts again.
    [4, 60_000, { action: 'restart', delayMs: 1_000, quickDeaths: 1 }],
    [3, 3_600_000, { action: 'restart', delayMs: 1_000, quickDeaths: 1 }],
  ])('after %i quick deaths, a death at %i ms of uptime: %j', (quickDeaths, uptimeMs, expected) => {
    expect(decideRestart(quickDeaths, uptimeMs)).toEqual(expected);
  });

  it('never waits longer than the cap', () => {
    const patient = { ...RESTART_POLICY, giveUpAfter: 100 };
    expect(decideRestart(20, 0, patient)).toEqual({ action: 'restart', delayMs: RESTART_POLICY.maxDelayMs, quickDeaths: 21 });
  });
});
