import {
  MAX_PINS_PER_UPDATE,
  type PinExecutionCommand,
  type PinExecutionsReply,
  type PinOutcome,
} from '../../contracts/definition-messages';

export interface BatchedPin {
  outcome: PinOutcome;
  reply: PinExecutionsReply;
}

interface Waiting {
  command: PinExecutionCommand;
  resolve: (pin: BatchedPin) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the pins of one definition: a pin is sent at once when none of that definition
 * is on its way; pins that arrive meanwhile wait and go together in the next Update. One definition
 * workflow then takes a burst of dispatches in a few Updates instead of one each, which Temporal
 * would otherwise have to admit a few at a time (docs/behaviour.md, "Definitions"). Nothing is kept
 * once a batch is answered; a lone dispatch waits for nothing.
 */
export class PinBatcher {
  private readonly queues = new Map<string, Waiting[]>();

  constructor(
    private readonly send: (workspaceId: string, definitionId: string, pins: PinExecutionCommand[]) => Promise<PinExecutionsReply>,
  ) {}

  pin(workspaceId: string, definitionId: string, command: PinExecutionCommand): Promise<BatchedPin> {
    const key = `${workspaceId}/${definitionId}`;
    return new Promise<BatchedPin>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ command, resolve, reject });
        return;
      }
      const started: Waiting[] = [{ command, resolve, reject }];
      this.queues.set(key, started);
      void this.drain(key, workspaceId, definitionId, started);
    });
  }

  private async drain(key: string, workspaceId: string, definitionId: string, queue: Waiting[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_PINS_PER_UPDATE);
      try {
        const reply = await this.send(
          workspaceId,
          definitionId,
          batch.map((waiting) => waiting.command),
        );
        batch.forEach((waiting, index) => waiting.resolve({ outcome: reply.outcomes[index]!, reply }));
      } catch (error) {
        batch.forEach((waiting) => waiting.reject(error));
      }
    }
    this.queues.delete(key);
  }
}
