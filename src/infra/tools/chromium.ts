import { findOnPath } from './find-on-path';
import { runWithProgress } from './run-with-progress';

export const CHROMIUM_APT_PACKAGE = 'chromium';

export type ChromiumTools = { available: true; executablePath: string } | { available: false; reason: string };

/** Debian names the binary `chromium`; some images still ship the older `chromium-browser`. */
const installedChromium = (): string | undefined => findOnPath('chromium') ?? findOnPath('chromium-browser');

/**
 * Finds Debian's Chromium for the browser tests: on PATH → `apt-get update && apt-get install -y
 * chromium` (root). Only a machine without apt-get (or without root for it) reports it as
 * unavailable, with the reason; a failing apt-get is an error, never a silent skip.
 */
export const ensureChromium = async (log: (message: string) => void): Promise<ChromiumTools> => {
  const onPath = installedChromium();
  if (onPath) return { available: true, executablePath: onPath };
  const aptGet = findOnPath('apt-get');
  if (!aptGet) return { available: false, reason: 'Chromium is not installed and this machine has no apt-get to install it' };
  if (process.getuid?.() !== 0) {
    return { available: false, reason: `Chromium is not installed; run \`sudo apt-get install ${CHROMIUM_APT_PACKAGE}\`` };
  }
  log(`chromium: not installed; running apt-get update && apt-get install -y ${CHROMIUM_APT_PACKAGE}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Other set-up on the machine may hold the dpkg lock for a while; wait for it instead of failing.
  const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
  await runWithProgress(aptGet, [...lockWait, 'update'], { label: 'apt-get update', env, log });
  await runWithProgress(aptGet, [...lockWait, 'install', '-y', '--no-install-recommends', CHROMIUM_APT_PACKAGE], {
    label: `apt-get install ${CHROMIUM_APT_PACKAGE}`,
    env,
    log,
  });
  const installed = installedChromium();
  if (!installed) throw new Error(`chromium: apt-get installed ${CHROMIUM_APT_PACKAGE} but no chromium is on PATH`);
  return { available: true, executablePath: installed };
};
