import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/infra/config';

/* The notification transports' settings (docs/notifications.md, "Configuration"), checked at start. */

describe('loadConfig: notification transports', () => {
  it('configures no transport by default; SLACK_API_URL defaults to Slack and SMTP_FROM to a local sender', () => {
    const config = loadConfig({});
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.SLACK_BOT_TOKEN).toBeUndefined();
    expect(config).toMatchObject({ SLACK_API_URL: 'https://slack.com/api', SMTP_FROM: 'approval-engine@localhost' });
  });

  it('reads SMTP_URL (smtp or smtps), SMTP_FROM, SLACK_BOT_TOKEN and SLACK_API_URL', () => {
    expect(
      loadConfig({
        SMTP_URL: 'smtp://user:pass@mail.internal:587',
        SMTP_FROM: 'Approvals <approvals@acme.dev>',
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_API_URL: 'http://slack-proxy.internal/api',
      }),
    ).toMatchObject({
      SMTP_URL: 'smtp://user:pass@mail.internal:587',
      SMTP_FROM: 'Approvals <approvals@acme.dev>',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_API_URL: 'http://slack-proxy.internal/api',
    });
    expect(loadConfig({ SMTP_URL: 'smtps://mail.internal' }).SMTP_URL).toBe('smtps://mail.internal');
  });

  it('refuses a SMTP_URL that is not smtp(s) without printing it (it holds a password)', () => {
    const env = { SMTP_URL: 'http://user:hunter2-password@mail.internal' };
    expect(() => loadConfig(env)).toThrow('SMTP_URL=(secret, not shown)');
    expect(() => loadConfig(env)).not.toThrow('hunter2');
  });

  it.each([
    [{ SMTP_FROM: 'nobody' }, 'SMTP_FROM="nobody"'],
    [{ SLACK_API_URL: 'ftp://slack' }, 'SLACK_API_URL="ftp://slack"'],
  ])('refuses %j naming the variable', (env, named) => {
    expect(() => loadConfig(env)).toThrow(named);
  });
});
