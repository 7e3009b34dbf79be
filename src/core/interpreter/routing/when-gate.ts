import { evaluateWhenWithin, happeningBudget, type WhenAst, type WhenScope, type WorkBudget } from '../../when';
import type { Tx } from '../transaction';

/** The run's failure code when a gate goes over its evaluation limits (docs/behaviour.md, "Limits"). */
export const WHEN_LIMIT_FAILURE = 'when-limit-exceeded';

// One work budget per happening: every gate one `apply` evaluates draws from the same pool.
const budgets = new WeakMap<Tx, WorkBudget>();

const budgetOf = (tx: Tx): WorkBudget => {
  const existing = budgets.get(tx);
  if (existing) return existing;
  const fresh = happeningBudget();
  budgets.set(tx, fresh);
  return fresh;
};

/**
 * Evaluates a gate (an edge's `when`, a loop predicate) within its limits. A gate over its limits
 * does not pass, and the run records the failure `when-limit-exceeded` naming the gate (the first
 * unhandled failure wins, as for a failed step), so the run fails once its other steps end.
 */
export const gatePasses = (tx: Tx, when: WhenAst | null, scope: WhenScope, gate: () => string): boolean => {
  if (when === null) return true;
  const outcome = evaluateWhenWithin(when, scope, budgetOf(tx));
  if (outcome.ok) return outcome.value;
  tx.fail(WHEN_LIMIT_FAILURE, `${gate()}: when exceeded its evaluation limits: ${outcome.error}`);
  return false;
};
