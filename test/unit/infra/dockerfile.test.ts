import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../src/infra/tools';

const instructions = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

describe('Dockerfile', () => {
  it('runs the engine as an unprivileged user, set after the last step that needs root', () => {
    const users = instructions.filter((line) => /^USER\s/i.test(line));
    expect(users.at(-1)).toMatch(/^USER\s+node$/);
    const lastUser = instructions.lastIndexOf(users.at(-1)!);
    const lastRootStep = Math.max(...instructions.map((line, index) => (/^(RUN|COPY|ADD)\s/i.test(line) ? index : -1)));
    expect(lastUser).toBeGreaterThan(lastRootStep);
    expect(instructions.findIndex((line) => /^CMD\s/i.test(line))).toBeGreaterThan(lastUser);
  });

  it('leaves the code owned by root, so the process cannot rewrite it', () => {
    expect(instructions.filter((line) => /--chown/i.test(line))).toEqual([]);
  });
});
