/** The stored form of `output.decision == 'reject'` (spec §2.10 form A). */
export const REJECT_GATE = JSON.stringify({ op: 'eq', args: [{ var: 'output.decision' }, 'reject'] });
