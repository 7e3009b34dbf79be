import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataDirFor } from '../../../src/infra/cluster/postgres-instance';

/** An account that owns nothing here, like Debian's `postgres` user seen from a root checkout. */
const stranger = { uid: 54_321, gid: 54_321 };
const made: string[] = [];
const folder = (mode: number): string => {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'pg-dir-'));
  made.push(parent);
  chmodSync(parent, mode);
  const root = path.join(parent, 'cluster');
  mkdirSync(root);
  return root;
};
afterEach(() => made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('where PostgreSQL keeps its data', () => {
  it('keeps it in the cluster folder when the server account can reach it, or when not running as root', () => {
    const open = folder(0o755);
    expect(dataDirFor(open, stranger)).toBe(path.join(open, 'pgdata'));
    expect(dataDirFor(folder(0o700), undefined)).toBe(path.join(made.at(-1)!, 'cluster', 'pgdata'));
  });

  it('moves it to a stable folder of its own under a private 0700 parent, which initdb could not enter', () => {
    const hidden = folder(0o700);
    const moved = dataDirFor(hidden, stranger);
    expect(moved.startsWith(os.tmpdir())).toBe(true);
    expect(moved.startsWith(hidden)).toBe(false);
    expect(dataDirFor(hidden, stranger)).toBe(moved);
    expect(dataDirFor(folder(0o700), stranger)).not.toBe(moved);
  });
});
