import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { suiteWorkflowBundle } from '../support/workers';

const historiesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');
const histories = readdirSync(historiesDir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, json: JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8')) as unknown }));

const replay = (history: unknown, workflowId: string): Promise<void> =>
  Worker.runReplayHistory({ workflowBundle: suiteWorkflowBundle() }, history, workflowId);

/**
 * Every recorded history must replay on today's workflow code: a change that alters the command
 * order of an existing workflow fails here unless it is guarded with patched().
 * Record new histories with `npx tsx scripts/record-histories.ts`.
 */
describe('replay of recorded histories', () => {
  it('has histories to replay', () => {
    expect(histories.length).toBeGreaterThan(0);
  });

  it.each(histories)('replays $file', async ({ file, json }) => {
    await expect(replay(json, file)).resolves.toBeUndefined();
  });

  it('detects nondeterminism in a tampered history', async () => {
    const original = histories.find(({ file }) => file.startsWith('definition-'));
    expect(original).toBeDefined();
    const tampered = structuredClone(original!.json) as { events: Array<Record<string, any>> };
    // Swap the first upserted search attributes for a different command type: the code will not produce it.
    const index = tampered.events.findIndex((event) => event.upsertWorkflowSearchAttributesEventAttributes);
    expect(index).toBeGreaterThan(0);
    const event = tampered.events[index]!;
    delete event.upsertWorkflowSearchAttributesEventAttributes;
    event.eventType = 'EVENT_TYPE_TIMER_STARTED';
    event.timerStartedEventAttributes = {
      timerId: '99',
      startToFireTimeout: '60s',
      workflowTaskCompletedEventId: String(Number(event.eventId) - 1),
    };
    await expect(replay(tampered, 'tampered')).rejects.toThrow(/[Nn]ondetermin/);
  });
});
