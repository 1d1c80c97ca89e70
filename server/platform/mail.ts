/**
 * Email through nodemailer.
 * - SMTP_URL set (e.g. smtp://127.0.0.1:2525 or smtps://user:pass@host): real SMTP delivery.
 * - SMTP_URL unset (DEV): nodemailer's jsonTransport — NOTHING IS SENT. The message is only
 *   logged and kept in `mailer.sent` (last 100) so developers and tests can see it.
 * Bodies are base64 encoded (compact for Chinese text; subjects are MIME encoded-words).
 */
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.ts';

export const DEFAULT_MAIL_FROM = '医保经办服务平台 <noreply@yibao.local>';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}
export interface SentMail extends MailMessage {
  messageId: string;
  at: Date;
}
export interface Mailer {
  readonly kind: 'smtp' | 'log';
  /** Resolves once the server accepted the message; rejects on any delivery error. */
  send(msg: MailMessage): Promise<{ messageId: string }>;
  /** Messages "sent" by the dev (log) transport, newest last. Empty with SMTP. */
  readonly sent: SentMail[];
  close(): void;
}

export function createMailer(config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM'>, log: (obj: object, msg: string) => void = () => {}): Mailer {
  const from = config.MAIL_FROM || DEFAULT_MAIL_FROM;
  const smtp = Boolean(config.SMTP_URL);
  // nodemailer is loaded with the first message, not at start-up.
  let transport: Promise<Transporter> | undefined;
  const open = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      smtp
        ? nodemailer.createTransport(config.SMTP_URL!, { from, textEncoding: 'base64' })
        : nodemailer.createTransport({ jsonTransport: true }, { from, textEncoding: 'base64' }),
    ));
  const sent: SentMail[] = [];
  return {
    kind: smtp ? 'smtp' : 'log',
    sent,
    async send(msg) {
      const info = await (await open()).sendMail({ to: msg.to, subject: msg.subject, text: msg.text, ...(msg.html ? { html: msg.html } : {}) });
      const messageId = String(info.messageId ?? '');
      if (!smtp) {
        sent.push({ ...msg, messageId, at: new Date() });
        if (sent.length > 100) sent.shift();
        log({ to: msg.to.replace(/^(.).*(@.*)$/, '$1***$2'), subject: msg.subject, messageId }, 'email not sent (no SMTP_URL): logged only');
      }
      return { messageId };
    },
    close() {
      void transport?.then((t) => t.close());
    },
  };
}
