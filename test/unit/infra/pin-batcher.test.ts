import { describe, expect, it } from 'vitest';
import type { PinExecutionCommand, PinExecutionsReply } from '../../../src/contracts/definition-messages';
import { PinBatcher } from '../../../src/infra/temporal/pin-batcher';

interface Sent {
  definitionId: string;
  pins: PinExecutionCommand[];
  answer: (reply: PinExecutionsReply) => void;
  fail: (error: unknown) => void;
}

/** A batcher whose Updates wait until the test answers them. */
const harness = () => {
  const sent: Sent[] = [];
  const batcher = new PinBatcher(
    (_workspaceId, definitionId, pins) =>
      new Promise<PinExecutionsReply>((answer, fail) => {
        sent.push({ definitionId, pins, answer, fail });
      }),
  );
  const pin = (executionId: string, definitionId = 'def-a') => batcher.pin('ws', definitionId, { executionId });
  return { sent, pin };
};

const allPinned = (count: number): PinExecutionsReply => ({
  outcomes: Array.from({ length: count }, () => ({ pinned: true })),
  version: 3,
  record: null,
});
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('PinBatcher', () => {
  it('sends a lone pin at once, and the pins that arrive meanwhile together in the next Update', async () => {
    const { sent, pin } = harness();
    const first = pin('e1');
    expect(sent.map((batch) => batch.pins.map((command) => command.executionId))).toEqual([['e1']]);
    const waiting = [pin('e2'), pin('e3'), pin('e4')];
    expect(sent).toHaveLength(1);
    sent[0]!.answer(allPinned(1));
    expect((await first).outcome).toEqual({ pinned: true });
    await settle();
    expect(sent[1]!.pins.map((command) => command.executionId)).toEqual(['e2', 'e3', 'e4']);
    sent[1]!.answer({
      outcomes: [
        { pinned: true },
        { pinned: false, error: { status: 'NOT_FOUND', message: 'definition def-a not found' } },
        { pinned: true },
      ],
      version: 3,
      record: null,
    });
    const outcomes = (await Promise.all(waiting)).map(({ outcome }) => outcome.pinned);
    expect(outcomes).toEqual([true, false, true]);
  });

  it('keeps definitions apart, and a failed Update fails only the pins it carried', async () => {
    const { sent, pin } = harness();
    const a = pin('e1', 'def-a');
    const b = pin('e2', 'def-b');
    expect(sent.map((batch) => batch.definitionId)).toEqual(['def-a', 'def-b']);
    const boom = new Error('unavailable');
    sent[0]!.fail(boom);
    sent[1]!.answer(allPinned(1));
    await expect(a).rejects.toBe(boom);
    expect((await b).outcome).toEqual({ pinned: true });
    // Nothing stays behind: the next pin of def-a is sent at once again.
    void pin('e3', 'def-a');
    expect(sent).toHaveLength(3);
  });

  it('splits a queue longer than one Update may carry', async () => {
    const { sent, pin } = harness();
    const all = Array.from({ length: 151 }, (_, index) => pin(`e${index}`));
    sent[0]!.answer(allPinned(1));
    await settle();
    expect(sent.map((batch) => batch.pins.length)).toEqual([1, 100]);
    sent[1]!.answer(allPinned(100));
    await settle();
    expect(sent.map((batch) => batch.pins.length)).toEqual([1, 100, 50]);
    sent[2]!.answer(allPinned(50));
    expect(await Promise.all(all)).toHaveLength(151);
  });
});
