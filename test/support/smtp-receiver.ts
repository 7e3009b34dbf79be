import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** One message as the SMTP server received and parsed it. */
export interface ReceivedMail {
  /** The envelope: who the engine handed it to (RCPT TO), and from whom (MAIL FROM). */
  envelopeFrom: string;
  envelopeTo: string[];
  from: string;
  subject: string;
  text: string;
  html: string | null;
  messageId: string | null;
}

export interface SmtpReceiver {
  /** `smtp://user:pass@127.0.0.1:<port>` (user and pass when the receiver wants them). */
  url: string;
  received: ReceivedMail[];
  /** Recipients refused at RCPT TO, as the engine tried them. */
  refused: string[];
  close: () => Promise<void>;
}

export interface SmtpReceiverOptions {
  /** Refuse these recipients with 550 at RCPT TO ('*': every one). */
  refuseRecipients?: string[] | '*';
  /** Require these credentials; the URL carries `credentialsInUrl` (default: the same). */
  credentials?: { user: string; pass: string };
  credentialsInUrl?: { user: string; pass: string };
}

/**
 * A real SMTP server on a loopback port (the `smtp-server` package): plain SMTP, no STARTTLS, AUTH
 * only when `credentials` are given. What it accepts is parsed with `mailparser`, as a mail client
 * would read it.
 */
export const startSmtpReceiver = async (options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> => {
  const received: ReceivedMail[] = [];
  const refused: string[] = [];
  const refuse = options.refuseRecipients ?? [];
  const settings: SMTPServerOptions = {
    hideSTARTTLS: true,
    disabledCommands: ['STARTTLS'],
    authOptional: options.credentials === undefined,
    allowInsecureAuth: true,
    logger: false,
    onAuth: (auth, _session, callback) => {
      const wanted = options.credentials;
      if (wanted && auth.username === wanted.user && auth.password === wanted.pass) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo: (address, _session, callback) => {
      if (refuse === '*' || refuse.includes(address.address)) {
        refused.push(address.address);
        const error = new Error(`mailbox ${address.address} unavailable`) as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
        return;
      }
      callback();
    },
    onData: (stream, session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            envelopeFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            envelopeTo: session.envelope.rcptTo.map((to) => to.address),
            from: mail.from?.text ?? '',
            subject: mail.subject ?? '',
            // The MIME body ends with a line break the sender added; the message itself is what precedes it.
            text: (mail.text ?? '').replace(/\n$/, ''),
            html: typeof mail.html === 'string' ? mail.html.replace(/\n$/, '') : null,
            messageId: mail.messageId ?? null,
          });
          callback();
        })
        .catch((error: unknown) => callback(error as Error));
    },
  };
  const server = new SMTPServer(settings);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  const login = options.credentialsInUrl ?? options.credentials;
  const auth = login ? `${encodeURIComponent(login.user)}:${encodeURIComponent(login.pass)}@` : '';
  return {
    url: `smtp://${auth}127.0.0.1:${port}`,
    received,
    refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
