/** E-mail through any SMTP server (nodemailer). */
import nodemailer from 'nodemailer';
import { DeliveryError } from '../../outbox/outbox.js';
import type { EmailMessage, Sender } from '../port.js';

export function smtpSender(url: string, from: string): Sender<EmailMessage> & { close(): void } {
  const transport = nodemailer.createTransport(url, { from });
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'konpay.invalid';
  return {
    name: 'smtp',
    async send(m, meta) {
      // A retry after a lost answer sends the same Message-ID (RFC 5322 §3.6.4: one
      // message, one id), so the customer's mail system can drop the second copy and an
      // operator can trace any mail back to its outbox row.
      const messageId = meta ? `<${meta.id}@${domain}>` : undefined;
      try {
        await transport.sendMail({ to: m.to, subject: m.subject, text: m.text, ...(m.html ? { html: m.html } : {}), ...(messageId ? { messageId } : {}) });
      } catch (err) {
        // 5xx replies (mailbox unknown, policy refusal) will not change on retry; 4xx and
        // connection failures might.
        const { responseCode, code } = err as { responseCode?: number; code?: string };
        // A message nodemailer cannot even build (bad address, empty envelope) is as final as a 5xx.
        const permanent = typeof responseCode === 'number' ? responseCode >= 500 : code === 'EENVELOPE' || code === 'EMESSAGE';
        throw new DeliveryError(`smtp: ${(err as Error).message}`, permanent);
      }
    },
    close: () => transport.close(),
  };
}
