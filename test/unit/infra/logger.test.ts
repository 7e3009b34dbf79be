import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { logFormatFor } from '../../../src/infra/logger';
import { bundlerLogger } from '../../../src/infra/worker/bundler-logger';

describe('logFormatFor', () => {
  it.each([
    [{}, true, 'pretty'],
    [{}, false, 'json'],
    [{ LOG_FORMAT: 'json' }, true, 'json'],
    [{ LOG_FORMAT: 'pretty' }, false, 'pretty'],
    // loadConfig refuses the value and names the variable; the logger that reports it stays usable.
    [{ LOG_FORMAT: 'xml' }, false, 'json'],
  ])('%j with a terminal: %s → %s', (env, tty, expected) => {
    expect(logFormatFor(env, tty)).toBe(expected);
  });
});

describe('bundlerLogger', () => {
  const capture = () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
        done();
      },
    });
    return { lines, logger: bundlerLogger(pino({ level: 'info' }, sink)) };
  };

  it('demotes the webpack asset listing to debug and keeps the bundle line, warnings and errors', () => {
    const { lines, logger } = capture();
    logger.info('asset workflow-bundle-3f2a.js 2.76 MiB [emitted] [immutable] (name: main)\nruntime modules 1.2 KiB 6 modules');
    logger.info('Workflow bundle created', { size: '2.76MB' });
    logger.warn('a disallowed module');
    logger.error('webpack failed');
    expect(lines.map(({ level, msg }) => [level, msg])).toEqual([
      [30, 'Workflow bundle created'],
      [40, 'a disallowed module'],
      [50, 'webpack failed'],
    ]);
  });
});
