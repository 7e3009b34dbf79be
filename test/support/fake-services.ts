import type { EngineServices } from '../../api/services';

/** The services that are objects with methods (the rest, `secretBox`, `checkOutboundUrl` and `reviewerLinks`, are values). */
type ServiceName = 'definitions' | 'executions' | 'dispatcher' | 'schedules' | 'callbacks';
type MethodOf<S extends ServiceName> = {
  [M in keyof EngineServices[S]]: EngineServices[S][M] extends (...args: never[]) => unknown ? M : never;
}[keyof EngineServices[S]] &
  string;

export interface ServiceCall {
  /** `definitions.create`, `executions.stepUpdate`, … */
  call: string;
  args: unknown[];
}

/**
 * A fake of the engine services for in-memory API tests (the API is tested like Hono's own
 * middleware tests: `app.request` against fakes). Each method answers what the test scripted
 * with `answer`, and every call is recorded with its arguments; a call nobody scripted throws,
 * so the API answers INTERNAL and the test sees it.
 */
export class FakeServices {
  readonly calls: ServiceCall[] = [];
  private readonly replies = new Map<string, (...args: never[]) => unknown>();

  constructor(private readonly values: Partial<Pick<EngineServices, 'secretBox' | 'checkOutboundUrl' | 'reviewerLinks'>> = {}) {}

  /** What `service.method` does when called (its real signature, so replies are type-checked). */
  answer<S extends ServiceName, M extends MethodOf<S>>(service: S, method: M, reply: EngineServices[S][M]): this {
    this.replies.set(`${service}.${method}`, reply as (...args: never[]) => unknown);
    return this;
  }

  /** The calls made so far, by name. */
  callsOf(call: `${ServiceName}.${string}`): unknown[][] {
    return this.calls.filter((entry) => entry.call === call).map((entry) => entry.args);
  }

  get services(): EngineServices {
    const service = (name: ServiceName) =>
      new Proxy(
        {},
        {
          get: (_target, member) => {
            if (typeof member !== 'string' || member === 'then') return undefined;
            const call = `${name}.${member}`;
            return (...args: unknown[]) => {
              this.calls.push({ call, args });
              const reply = this.replies.get(call);
              if (!reply) throw new Error(`unscripted service call ${call}`);
              return (reply as (...args: unknown[]) => unknown)(...args);
            };
          },
        },
      );
    return {
      definitions: service('definitions'),
      executions: service('executions'),
      dispatcher: service('dispatcher'),
      schedules: service('schedules'),
      callbacks: service('callbacks'),
      secretBox: this.values.secretBox,
      checkOutboundUrl: this.values.checkOutboundUrl ?? (() => null),
      reviewerLinks: this.values.reviewerLinks,
    } as EngineServices;
  }
}
