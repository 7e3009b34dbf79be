import type { EngineServices } from '../../api/services';

/**
 * Engine services for in-memory API tests whose requests are all answered before any service is
 * reached: building the app may look services up, but calling one throws.
 */
export const unreachableServices = (): EngineServices =>
  new Proxy({} as EngineServices, {
    get: (_target, service) =>
      new Proxy(() => undefined, {
        get: (_inner, member) => () => {
          throw new Error(`no service is reached in these tests (${String(service)}.${String(member)})`);
        },
        apply: () => {
          throw new Error(`no service is reached in these tests (${String(service)})`);
        },
      }),
  });
