import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { InternalConnectionOptionsSymbol, type InternalConnectionOptions } from '@temporalio/client/lib/connection';
import { msToTs, tsToMs } from '@temporalio/common/lib/time';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { freePort } from '../infra/net/free-port';

/** Temporal's time-skipping test server, as the simulator drives it: a client, a worker connection, and its clock. */
export interface TimeSkippingServer {
  address: string;
  client: Client;
  nativeConnection: NativeConnection;
  /** The server's virtual time. */
  now(): Promise<number>;
  /** Lets virtual time run `ms` ahead: timers due meanwhile fire, in seconds of wall time. */
  sleep(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** A JVM on a loaded machine can take well over the SDK's fixed 5 s to listen. */
const START_TIMEOUT_MS = 90_000;

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const waitUntilListening = async (child: ChildProcess, port: number): Promise<void> => {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await listening(port))) {
    if (child.exitCode !== null) throw new Error(`the time-skipping test server exited with code ${child.exitCode} before it listened`);
    if (Date.now() > deadline)
      throw new Error(`the time-skipping test server did not listen on port ${port} within ${START_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** Runs the test server binary (`temporal-test-server <port>`) as a child process, time skipping locked until `sleep`. */
const startFromPath = async (path: string): Promise<TimeSkippingServer> => {
  const port = await freePort();
  const child = spawn(path, [String(port)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitUntilListening(child, port);
    const address = `127.0.0.1:${port}`;
    // The SDK's own test environment opens its connection the same way, to reach the test service.
    const options: InternalConnectionOptions = { address, [InternalConnectionOptionsSymbol]: { supportsTestService: true } };
    const connection = await Connection.connect(options);
    const nativeConnection = await NativeConnection.connect({ address });
    const testService = connection.testService;
    if (!testService) throw new Error('the connection has no test service');
    return {
      address,
      client: new Client({ connection }),
      nativeConnection,
      now: async () => tsToMs((await testService.getCurrentTime({})).time),
      sleep: async (ms) => {
        await testService.unlockTimeSkippingWithSleep({ duration: msToTs(ms) });
      },
      close: async () => {
        await nativeConnection.close();
        await connection.close();
        child.kill('SIGTERM');
        await exited;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
};

/** Without a binary, the SDK downloads one (needs internet) and starts it itself. */
const startFromSdk = async (): Promise<TimeSkippingServer> => {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'cached-download' } } });
  return {
    address: env.address,
    client: env.client,
    nativeConnection: env.nativeConnection,
    now: () => env.currentTimeMs(),
    sleep: (ms) => env.sleep(ms),
    close: () => env.teardown(),
  };
};

export const startTimeSkippingServer = (path: string | undefined): Promise<TimeSkippingServer> =>
  path ? startFromPath(path) : startFromSdk();
