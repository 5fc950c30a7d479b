/** E-mail through any SMTP server (nodemailer). */
import nodemailer from 'nodemailer';
import { DeliveryError } from '../../outbox/outbox.js';
import type { EmailMessage, Sender } from '../port.js';

export function smtpSender(url: string, from: string): Sender<EmailMessage> & { close(): void } {
  const transport = nodemailer.createTransport(url, { from });
  return {
    name: 'smtp',
    async send(m) {
      try {
        await transport.sendMail({ to: m.to, subject: m.subject, text: m.text, ...(m.html ? { html: m.html } : {}) });
      } catch (err) {
        // 5xx replies (mailbox unknown, policy refusal) will not change on retry; 4xx and
        // connection failures might.
        const code = (err as { responseCode?: number }).responseCode;
        throw new DeliveryError(`smtp: ${(err as Error).message}`, typeof code === 'number' && code >= 500);
      }
    },
    close: () => transport.close(),
  };
}
