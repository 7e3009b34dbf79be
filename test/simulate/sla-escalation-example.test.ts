import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScenarioError, SimulationError, type ScenarioInput } from 'approval-engine/testkit';
import { useSimulator } from '../support/simulator';

/*
 * The test kit as a team would use it for its own flows (docs/simulate.md): the example in
 * examples/sla-escalation proves its 48-hour SLA breach route in virtual time.
 */
const exampleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/sla-escalation');
const definition = JSON.parse(readFileSync(path.join(exampleDir, 'definition.json'), 'utf8')) as Record<string, unknown>;
const scenario = JSON.parse(readFileSync(path.join(exampleDir, 'scenario.json'), 'utf8')) as ScenarioInput;

const simulator = useSimulator();

const HOUR = 60 * 60 * 1000;

describe('examples/sla-escalation on the simulator', () => {
  it('breaches the editor’s review after 48 virtual hours, escalates, and publishes on the manager’s approval', async () => {
    const result = await simulator().run(definition, scenario);

    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    const breach = result.events.find((event) => event.type === 'step.breached')!;
    expect(breach.nodeId).toBe('human-review');
    // The SLA counts from the moment the review started waiting (its timer starts in the same workflow task).
    const waiting = result.events.find((event) => event.type === 'step.awaiting-approval' && event.nodeId === 'human-review')!;
    expect(breach.atMs - waiting.atMs).toBeGreaterThanOrEqual(48 * HOUR);
    expect(breach.atMs - waiting.atMs).toBeLessThan(48 * HOUR + 60_000);
    // The editor's late approval is refused, the manager's accepted.
    expect(result.actions.map((action) => action.outcome.ok)).toEqual([false, true]);
    expect(result.actions[0]!.outcome).toMatchObject({ status: 'FAILED_PRECONDITION', message: expect.stringMatching(/breached/) });
    expect(result.view.steps.find((step) => step.nodeId === 'agent-publish')?.output).toMatchObject({
      url: 'https://blog.example.com/q4-launch',
    });
  });

  it('takes the approval route when the editor answers within the SLA', async () => {
    const result = await simulator().run(definition, {
      agents: scenario.agents,
      steps: [{ at: '47h', decide: { node: 'human-review', reviewer: 'u_editor', decision: 'approve' } }],
      runUntil: '72h',
      expect: { status: 'completed', steps: { 'human-review': 'completed', 'agent-publish': 'completed' } },
    });
    expect(result.failures).toEqual([]);
    expect(result.events.map((event) => event.type)).not.toContain('step.breached');
  });

  it('reports unmet expectations and a failing scripted agent', async () => {
    const result = await simulator().run(definition, {
      agents: { 'agent-draft': { outcome: 'failure', message: 'drafter is down' } },
      runUntil: '1h',
      expect: { status: 'completed', steps: { 'agent-draft': 'completed', 'human-review': 'breached', 'agent-publish': 'completed' } },
    });
    const draft = result.view.steps.find((step) => step.nodeId === 'agent-draft');
    expect(draft).toMatchObject({ status: 'failed', error: { code: 'agent-failed', message: 'drafter is down' } });
    // The draft → review edge has no condition, so the review still starts; its SLA has 47 hours to go.
    expect(result.failures).toEqual([
      'execution: expected completed, was running',
      'step agent-draft: expected completed, was failed',
      'step human-review: expected breached, was waiting',
      'step agent-publish: expected completed, never started',
    ]);
    expect(result.passed).toBe(false);
  });

  it('refuses an invalid scenario or definition, naming the field', async () => {
    await expect(
      simulator().run(definition, { steps: [{ at: 'soon', decide: { node: 'human-review', reviewer: 'u', decision: 'approve' } }] }),
    ).rejects.toThrow(ScenarioError);
    await expect(simulator().run(definition, { steps: [{ at: 'soon' } as never] })).rejects.toThrow(/scenario\.steps\[0\]/);
    await expect(simulator().run({ ...definition, nodes: [] }, scenario)).rejects.toThrow(SimulationError);
  });
});
