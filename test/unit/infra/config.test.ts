import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/infra/config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'approval-engine',
      PORT: 8080,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: false,
    });
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'approvals',
      TEMPORAL_TASK_QUEUE: 'q',
      PORT: '9000',
      APPROVAL_API_KEY: 'k',
      APPROVAL_AUTH_TOKEN: 't',
      APPROVAL_WORKSPACES_FILE: '/etc/ws.json',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
    expect(config).toMatchObject({ PORT: 9000, TEMPORAL_NAMESPACE: 'approvals', WEBHOOK_ALLOW_PRIVATE_TARGETS: true });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT="eighty"'],
    [{ PORT: '70000' }, 'PORT="70000"'],
    [{ TEMPORAL_ADDRESS: 'no-port' }, 'TEMPORAL_ADDRESS="no-port"'],
    [{ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'yes' }, 'WEBHOOK_ALLOW_PRIVATE_TARGETS="yes"'],
    [{ APPROVAL_API_KEY: 'only-key' }, 'APPROVAL_AUTH_TOKEN'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud"'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT="xml"'],
  ])('rejects %j naming the variable', (env, named) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(named);
  });
});
