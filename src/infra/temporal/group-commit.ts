interface Waiting<Command, Outcome> {
  command: Command;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions<Key, Command, Outcome> {
  /** Commands per batch at the most (the receiving Update's own bound). */
  maxBatch: number;
  /** Commands whose keys give the same string go to the same workflow, so they may share a batch. */
  keyString: (key: Key) => string;
  /** Sends one batch; answers one outcome per command, in order. */
  send: (key: Key, commands: Command[]) => Promise<Outcome[]>;
}

/**
 * Group commit for the Updates of one workflow: a command is sent at once when none of its key is on
 * its way; commands that arrive meanwhile wait and go together in the next batch. A burst then
 * reaches the workflow in a few Updates instead of one each, which Temporal would otherwise admit a
 * few at a time (docs/behaviour.md, "Definitions" and "Workspace limits"). Nothing is kept once a batch is answered;
 * a lone command waits for nothing.
 */
export class GroupCommit<Key, Command, Outcome> {
  private readonly queues = new Map<string, Waiting<Command, Outcome>[]>();

  constructor(private readonly options: GroupCommitOptions<Key, Command, Outcome>) {}

  submit(key: Key, command: Command): Promise<Outcome> {
    const name = this.options.keyString(key);
    return new Promise<Outcome>((resolve, reject) => {
      const queue = this.queues.get(name);
      if (queue) {
        queue.push({ command, resolve, reject });
        return;
      }
      const started = [{ command, resolve, reject }];
      this.queues.set(name, started);
      void this.drain(name, key, started);
    });
  }

  private async drain(name: string, key: Key, queue: Waiting<Command, Outcome>[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, this.options.maxBatch);
      try {
        const outcomes = await this.options.send(
          key,
          batch.map((waiting) => waiting.command),
        );
        if (outcomes.length !== batch.length) {
          throw new Error(`a batch of ${batch.length} commands was answered with ${outcomes.length} outcomes`);
        }
        batch.forEach((waiting, index) => waiting.resolve(outcomes[index]!));
      } catch (error) {
        batch.forEach((waiting) => waiting.reject(error));
      }
    }
    this.queues.delete(name);
  }
}
