// Runs before `npm start` and `npm test` (plain Node, no dependencies): a fresh clone installs
// its locked dependencies itself; an install that matches the lockfile is left alone.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const installedMarker = 'node_modules/.package-lock.json';
const fresh = existsSync(installedMarker) && statSync(installedMarker).mtimeMs >= statSync('package-lock.json').mtimeMs;
if (!fresh) {
  console.log('[deps] installing locked npm dependencies (npm ci)');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
