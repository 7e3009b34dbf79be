import { WHEN_LIMITS } from './limits';

/** Thrown inside evaluation when an expression would go over a limit; `evaluateWhenWithin` reports it. */
export class WhenLimitExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WhenLimitExceeded';
  }
}

/** 1234567 → "1,234,567" (no Intl: the same text on every runtime). */
export const formatCount = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * A pool of work units. `charge` refuses (throws) before the work is done, never after, and also
 * draws from the parent pool (the happening's) when there is one.
 */
export class WorkBudget {
  private spent = 0;

  constructor(
    readonly limit: number,
    /** Names the budget in messages, e.g. "per evaluation". */
    readonly label: string,
    private readonly parent: WorkBudget | null = null,
  ) {}

  get remaining(): number {
    return Math.max(0, this.limit - this.spent);
  }

  charge(units: number, what: () => string): void {
    if (units > this.remaining) {
      throw new WhenLimitExceeded(
        `${what()} would cost ${formatCount(units)} work units, more than the ${formatCount(this.remaining)} left of the ${formatCount(this.limit)} allowed ${this.label}`,
      );
    }
    this.parent?.charge(units, what);
    this.spent += units;
  }
}

/** The pool shared by every evaluation one happening causes. */
export const happeningBudget = (): WorkBudget => new WorkBudget(WHEN_LIMITS.workPerHappening, 'per happening');

/** The pool of one evaluation, drawing from the happening's pool when given. */
export const evaluationBudget = (happening: WorkBudget | null = null): WorkBudget =>
  new WorkBudget(WHEN_LIMITS.workPerEvaluation, 'per evaluation', happening);
