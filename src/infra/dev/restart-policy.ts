/**
 * What `npm start` does when the worker or the API dies after it was up (docs/behaviour.md,
 * "Development stack"): restart it after 1 s, 2 s, 4 s, 8 s while it keeps dying young; give up
 * and stop everything at the fifth quick death in a row. A process that ran for a minute before
 * dying starts the count afresh.
 */
export interface RestartPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  /** A run at least this long counts as healthy: the next death is the first of a new series. */
  stableAfterMs: number;
  /** Quick deaths in a row that make the supervisor give up. */
  giveUpAfter: number;
}

export const RESTART_POLICY: RestartPolicy = {
  firstDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  giveUpAfter: 5,
};

export type RestartDecision = { action: 'restart'; delayMs: number; quickDeaths: number } | { action: 'give-up'; quickDeaths: number };

/** `quickDeaths`: deaths in a row so far, each within `stableAfterMs` of its start. */
export const decideRestart = (quickDeaths: number, uptimeMs: number, policy: RestartPolicy = RESTART_POLICY): RestartDecision => {
  const count = uptimeMs >= policy.stableAfterMs ? 1 : quickDeaths + 1;
  if (count >= policy.giveUpAfter) return { action: 'give-up', quickDeaths: count };
  return { action: 'restart', delayMs: Math.min(policy.firstDelayMs * 2 ** (count - 1), policy.maxDelayMs), quickDeaths: count };
};
