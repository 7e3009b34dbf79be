import { describe, expect, it } from 'vitest';
import { reviewDefinition } from '../fixtures/execution-definitions';
import { useEngine } from '../support/engine';
import { createDefinition, freshId, getExecution } from '../support/rest-api';

const engine = useEngine();
const { admin } = engine;
const BURST = 64;

/*
 * Every dispatch pins the definition's version in that definition's workflow; dispatches that
 * arrive together are pinned together (docs/behaviour.md, "Definitions"). All of a burst must
 * start, each once, and a dispatch the definition refuses must not take the others down with it.
 */
describe('a burst of dispatches of one definition', () => {
  it(`starts all ${BURST} concurrent dispatches, each once, and refuses only those for another organization`, async () => {
    const definitionId = freshId('burst');
    await createDefinition(admin, {
      ...reviewDefinition(definitionId, { hold: true }),
      scope: { level: 'organization', organizationId: 'org-burst' },
    });
    const organizationOf = (index: number): string => (index % 8 === 7 ? 'org-other' : 'org-burst');
    const responses = await Promise.all(
      Array.from({ length: BURST }, (_, index) =>
        admin.post('executions/dispatch', { definitionId, organizationId: organizationOf(index) }),
      ),
    );
    const refused = responses.filter((_, index) => organizationOf(index) === 'org-other');
    const accepted = responses.filter((_, index) => organizationOf(index) === 'org-burst');
    expect(refused.map((response) => [response.status, response.body.error?.status])).toEqual(refused.map(() => [404, 'NOT_FOUND']));
    expect(accepted.filter((response) => response.status !== 200).map((response) => response.body)).toEqual([]);

    const ids = accepted.map((response) => response.body.result.executionId as string);
    expect(new Set(ids).size).toBe(accepted.length);
    const views = await Promise.all(ids.map((executionId) => getExecution(admin, executionId)));
    expect(views.every((view) => view.status === 'running' && view.definitionId === definitionId)).toBe(true);
    // Every started run holds the definition: a delete is refused until they end.
    const deletion = await admin.post('definitions/delete', { definitionId, organizationId: 'org-burst' });
    expect(deletion.status).toBe(400);
    expect(deletion.body.error.message).toContain(`${accepted.length} execution(s) in flight`);
    await Promise.all(ids.map((executionId) => admin.post('executions/cancel', { executionId })));
  }, 180_000);
});
