import nodemailer, { type Transporter } from 'nodemailer';
import type { NodemailerError } from 'nodemailer/lib/errors';
import type { TransportOutcome } from './transport-outcome';

/** SMTP_URL and SMTP_FROM (docs/notifications.md, "Configuration"). */
export interface SmtpSettings {
  url: string;
  from: string;
}

export const DEFAULT_SMTP_FROM = 'approval-engine@localhost';

export interface EmailMessage {
  nodeId: string;
  recipients: string[];
  subject: string | null;
  body: string;
  format: 'text' | 'html' | 'slack-blocks';
  /** Threads retries of one step's message together in the receiving client. */
  messageId: string;
}

// Each phase of an SMTP conversation is bounded, so a stuck server costs one attempt, not a worker slot.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as const;

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY']);

/** A subject is one header line: line breaks a template brought in become spaces. */
const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ');

/** What went wrong, in words a step's error can carry (the server's reply, never the SMTP_URL). */
const describe = (error: NodemailerError): string =>
  error.response ? `${error.response}` : `${error.code ?? 'error'}: ${error.message.replace(/smtps?:\/\/\S+/g, '<SMTP_URL>')}`;

/**
 * Classifies a failed send: the operator's credentials refused is final; no recipient accepted is
 * retried (the documented rule: delivering to none fails and retries); a message the server refused
 * for good is final; anything about the connection is retried.
 */
export const classifySmtpError = (nodeId: string, error: NodemailerError): TransportOutcome => {
  const code = error.code ?? '';
  if (code === 'EAUTH' || code === 'ENOAUTH')
    return {
      kind: 'failed',
      code: 'notification-email-auth-failed',
      message: `notification node ${nodeId}: the SMTP server refused the credentials in SMTP_URL (${describe(error)})`,
      retryable: false,
      reason: 'notification-email-auth-failed',
    };
  if (CONNECTION_CODES.has(code))
    return {
      kind: 'failed',
      code: 'notification-email-unreachable',
      message: `notification node ${nodeId}: the SMTP server could not be reached or stopped answering (${code})`,
      retryable: true,
    };
  const permanentMessage = code === 'EMESSAGE' && error.permanent === true;
  return {
    kind: 'failed',
    code: 'notification-email-undelivered',
    message: `notification node ${nodeId}: the SMTP server delivered to no recipient (${describe(error)})`,
    retryable: !permanentMessage,
  };
};

/** One SMTP transport per worker; a message is one connection (no pool to keep healthy). */
export class SmtpTransport {
  private readonly transporter: Transporter;

  constructor(private readonly settings: SmtpSettings) {
    this.transporter = nodemailer.createTransport({ url: settings.url, ...TIMEOUTS });
  }

  async send(message: EmailMessage): Promise<TransportOutcome> {
    const subject = oneLine(message.subject ?? '');
    try {
      const info = await this.transporter.sendMail({
        from: this.settings.from,
        to: message.recipients,
        subject,
        messageId: message.messageId,
        ...(message.format === 'html' ? { html: message.body } : { text: message.body }),
      });
      const accepted = (info.accepted ?? []).map(String);
      const rejected = (info.rejected ?? []).map(String);
      if (accepted.length === 0) {
        return {
          kind: 'failed',
          code: 'notification-email-undelivered',
          message: `notification node ${message.nodeId}: the SMTP server accepted no recipient`,
          retryable: true,
        };
      }
      return { kind: 'sent', output: { delivered: accepted.length, accepted, rejected, messageId: info.messageId } };
    } catch (error) {
      return classifySmtpError(message.nodeId, error as NodemailerError);
    }
  }

  close(): void {
    this.transporter.close();
  }
}
