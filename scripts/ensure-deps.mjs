// Runs before `npm start` and `npm test` (plain Node, no dependencies): a fresh clone installs
// its locked dependencies itself; an install that matches the lockfile is left alone.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const installedMarker = 'node_modules/.package-lock.json';
const fresh = existsSync(installedMarker) && statSync(installedMarker).mtimeMs >= statSync('package-lock.json').mtimeMs;
if (!fresh) {
  console.log('[deps] installing the locked npm dependencies');
  // Not `npm ci`: npm writes lockfiles holding only this platform's optional native binaries
  // (npm/cli#4828) and `npm ci` then rejects them. `npm install` with the lockfile present installs
  // exactly the locked versions and leaves the lockfile as it is.
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
