/**
 * The e-mail every account of a forced reset receives. It carries no link on purpose:
 * after a breach, phishing mails imitating exactly this notice follow within hours, so
 * the notice teaches the safe habit (open the app you already have, or type the address)
 * instead of training customers to click through to a password form.
 */
import type { Locale } from '../messages.js';

export function forcedResetEmail(locale: Locale, publicUrl: string): { subject: string; text: string } {
  const host = new URL(publicUrl).host;
  return locale === 'ja'
    ? {
        subject: 'Konpay: パスワードの再設定をお願いします',
        text: [
          '安全のため、Konpayはすべてのお客様のパスワードを無効にし、ログイン中の端末からログアウトしました。',
          '次回Konpayアプリを開いてログインすると、新しいパスワードの設定画面が表示されます。設定が終わるまで、支払いとチャージはできません。',
          `このメールにはリンクはありません。Konpayアプリ、または ${host} を直接開いてください。メールやSMSのリンクからパスワードを入力しないでください。`,
          '他のサービスで同じパスワードをお使いの場合は、そちらも変更してください。',
        ].join('\n'),
      }
    : {
        subject: 'Konpay: please choose a new password',
        text: [
          'To keep your account safe, Konpay has set every customer\'s password to be replaced and signed out all sessions.',
          'The next time you sign in to the Konpay app, it will ask you for a new password. Until then, payments and top-ups are paused.',
          `This e-mail has no link: open the Konpay app, or type ${host} yourself. Never enter your password after following a link in an e-mail or SMS.`,
          'If you used the same password anywhere else, change it there too.',
        ].join('\n'),
      };
}
