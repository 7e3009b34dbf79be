import path from 'node:path';

export interface DevServerArgsOptions {
  address: string;
  namespace: string;
  dataDirectory: string;
  uiPort: number;
}

/** `temporal server start-dev` with SQLite file persistence, so executions survive a restart. */
export const devServerArgs = ({ address, namespace, dataDirectory, uiPort }: DevServerArgsOptions): string[] => {
  const [ip = '127.0.0.1', port = '7233'] = address.split(':');
  return [
    'server',
    'start-dev',
    '--db-filename',
    path.join(dataDirectory, 'temporal.sqlite'),
    '--ip',
    ip,
    '--port',
    port,
    '--ui-port',
    String(uiPort),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
  ];
};
