import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/infra/config';
import { DEFAULT_WORKER_HEAP_MIB, workerHeapArgs } from '../../../src/infra/worker/worker-heap';

const configWith = (value: string | undefined) => loadConfig({ ...(value === undefined ? {} : { APPROVAL_WORKER_HEAP_MIB: value }) });

describe('the worker heap limit the launchers pass (docs/operations.md, "Worker memory")', () => {
  it('defaults to 768 MiB', () => {
    expect(configWith(undefined).APPROVAL_WORKER_HEAP_MIB).toBe(DEFAULT_WORKER_HEAP_MIB);
    expect(workerHeapArgs(DEFAULT_WORKER_HEAP_MIB, undefined)).toEqual(['--max-old-space-size=768']);
  });

  it('takes another size, and 0 leaves Node its own default', () => {
    expect(workerHeapArgs(configWith('2048').APPROVAL_WORKER_HEAP_MIB, '')).toEqual(['--max-old-space-size=2048']);
    expect(workerHeapArgs(configWith('0').APPROVAL_WORKER_HEAP_MIB, undefined)).toEqual([]);
  });

  it("leaves a limit set in NODE_OPTIONS alone: the operator's own wins", () => {
    expect(workerHeapArgs(768, '--enable-source-maps --max-old-space-size=4096')).toEqual([]);
    expect(workerHeapArgs(768, '--max-old-space-size 4096')).toEqual([]);
    expect(workerHeapArgs(768, '--enable-source-maps')).toEqual(['--max-old-space-size=768']);
  });

  it('refuses a size too small to run the worker, naming the variable', () => {
    for (const value of ['100', '-1', 'lots', '1.5', '70000']) {
      expect(() => configWith(value), value).toThrow(/APPROVAL_WORKER_HEAP_MIB/);
    }
  });
});
