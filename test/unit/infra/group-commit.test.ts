import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../src/infra/temporal/group-commit';

interface Sent {
  key: string;
  commands: string[];
  answer: (outcomes: string[]) => void;
  fail: (error: unknown) => void;
}

/** A batcher whose batches wait until the test answers them; outcomes are strings, commands execution ids. */
const harness = (maxBatch = 100) => {
  const sent: Sent[] = [];
  const batcher = new GroupCommit({
    maxBatch,
    keyString: (key: { workspaceId: string; workflowId: string }) => `${key.workspaceId}/${key.workflowId}`,
    send: (key, commands: string[]) =>
      new Promise<string[]>((answer, fail) => {
        sent.push({ key: key.workflowId, commands, answer, fail });
      }),
  });
  const submit = (command: string, workflowId = 'wf-a') => batcher.submit({ workspaceId: 'ws', workflowId }, command);
  return { sent, submit };
};

const ok = (commands: string[]): string[] => commands.map((command) => `ok ${command}`);
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('sends a lone command at once, and the commands that arrive meanwhile together in the next batch', async () => {
    const { sent, submit } = harness();
    const first = submit('e1');
    expect(sent.map((batch) => batch.commands)).toEqual([['e1']]);
    const waiting = [submit('e2'), submit('e3'), submit('e4')];
    expect(sent).toHaveLength(1);
    sent[0]!.answer(['ok e1']);
    expect(await first).toBe('ok e1');
    await settle();
    expect(sent[1]!.commands).toEqual(['e2', 'e3', 'e4']);
    // Each caller gets the outcome at its own position.
    sent[1]!.answer(['ok e2', 'refused e3', 'ok e4']);
    expect(await Promise.all(waiting)).toEqual(['ok e2', 'refused e3', 'ok e4']);
  });

  it('keeps keys apart, and a failed batch fails only the commands it carried', async () => {
    const { sent, submit } = harness();
    const a = submit('e1', 'wf-a');
    const b = submit('e2', 'wf-b');
    expect(sent.map((batch) => batch.key)).toEqual(['wf-a', 'wf-b']);
    const boom = new Error('unavailable');
    sent[0]!.fail(boom);
    sent[1]!.answer(ok(sent[1]!.commands));
    await expect(a).rejects.toBe(boom);
    expect(await b).toBe('ok e2');
    // Nothing stays behind: the next command of wf-a is sent at once again.
    void submit('e3', 'wf-a');
    expect(sent).toHaveLength(3);
  });

  it('splits a queue longer than one batch may carry', async () => {
    const { sent, submit } = harness(100);
    const all = Array.from({ length: 151 }, (_, index) => submit(`e${index}`));
    sent[0]!.answer(ok(sent[0]!.commands));
    await settle();
    expect(sent.map((batch) => batch.commands.length)).toEqual([1, 100]);
    sent[1]!.answer(ok(sent[1]!.commands));
    await settle();
    expect(sent.map((batch) => batch.commands.length)).toEqual([1, 100, 50]);
    sent[2]!.answer(ok(sent[2]!.commands));
    expect(await Promise.all(all)).toEqual(Array.from({ length: 151 }, (_, index) => `ok e${index}`));
  });

  it('fails every command of a batch answered with the wrong number of outcomes, and goes on with the next', async () => {
    const { sent, submit } = harness();
    const first = submit('e1');
    const waiting = [submit('e2'), submit('e3')];
    sent[0]!.answer(['ok e1']);
    await first;
    await settle();
    sent[1]!.answer(['ok e2']);
    await expect(waiting[0]).rejects.toThrow('a batch of 2 commands was answered with 1 outcomes');
    await expect(waiting[1]).rejects.toThrow('a batch of 2 commands was answered with 1 outcomes');
    const next = submit('e4');
    expect(sent).toHaveLength(3);
    sent[2]!.answer(['ok e4']);
    expect(await next).toBe('ok e4');
  });
});
