/**
 * How a process started by `npm start` tells its supervisor it is up: one IPC message, sent only
 * when an IPC channel exists (a process run on its own ignores this). The supervisor tells a
 * failed start (stop everything) from a crash of a process that was up (restart it).
 */
const READY = 'approval-engine:ready';

export const announceReady = (): void => {
  if (!process.send) return;
  process.send(READY);
  // The channel must not keep a process alive that has finished its work.
  process.channel?.unref();
};

export const isReadyMessage = (message: unknown): boolean => message === READY;
