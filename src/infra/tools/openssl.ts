import { findOnPath } from './find-on-path';
import { runWithProgress } from './run-with-progress';

/** `openssl` on PATH → `apt-get install -y openssl` (root only; CI starts from a clean machine). */
export const ensureOpenssl = async (log: (message: string) => void): Promise<string> => {
  const onPath = findOnPath('openssl');
  if (onPath) return onPath;
  const aptGet = findOnPath('apt-get');
  if (!aptGet || process.getuid?.() !== 0)
    throw new Error('openssl is not installed; install it (Debian/Ubuntu: `sudo apt-get install openssl`)');
  log('openssl: not installed; running apt-get update && apt-get install -y openssl');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runWithProgress(aptGet, ['update'], { label: 'apt-get update', env, log });
  await runWithProgress(aptGet, ['install', '-y', '--no-install-recommends', 'openssl'], { label: 'apt-get install openssl', env, log });
  const installed = findOnPath('openssl');
  if (!installed) throw new Error('apt-get installed openssl but it is not on PATH');
  return installed;
};
