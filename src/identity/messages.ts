/**
 * What customers read: codes and security notices, in Japanese and English. Codes are
 * never put in a subject line (lock screens show subjects) and every notice says how to
 * react if it was not the customer.
 */
export type Locale = 'ja' | 'en';

const brand = { ja: 'Konpay', en: 'Konpay' };

export function codeEmail(locale: Locale, code: string, purpose: 'signup' | 'recovery' | 'change_email'): { subject: string; text: string } {
  const what = {
    signup: { ja: '新規登録', en: 'sign-up' },
    recovery: { ja: 'アカウント復旧', en: 'account recovery' },
    change_email: { ja: 'メールアドレス変更', en: 'e-mail change' },
  }[purpose][locale];
  return locale === 'ja'
    ? { subject: `${brand.ja} 確認コード`, text: `${what}の確認コード: ${code}\n有効期限は10分です。心当たりがない場合は、このメールを無視してください。コードを他人に教えないでください。` }
    : { subject: `Your ${brand.en} verification code`, text: `Your ${what} code is ${code}. It expires in 10 minutes. If you did not ask for it, ignore this e-mail. Never share this code.` };
}

export function codeSms(locale: Locale, code: string): string {
  // Origin-bound line last (WebOTP format) so the app can fill the code in itself.
  return locale === 'ja'
    ? `Konpay 確認コード: ${code} (10分間有効)。他人に教えないでください。`
    : `Konpay code: ${code} (valid 10 min). Never share it.`;
}

export function alreadyRegisteredEmail(locale: Locale): { subject: string; text: string } {
  return locale === 'ja'
    ? { subject: 'Konpay: 登録の試みがありました', text: 'このメールアドレスで新規登録が試みられましたが、既にアカウントがあります。ご本人であればログインするか、パスワードをお忘れの場合はアカウント復旧をご利用ください。心当たりがなければ、このメールは無視してください。' }
    : { subject: 'Konpay: someone tried to sign up with your address', text: 'Someone tried to sign up with this e-mail address, which already has a Konpay account. If it was you, sign in, or recover your account if you forgot the password. If not, you can ignore this e-mail.' };
}

export function alreadyRegisteredSms(locale: Locale): string {
  return locale === 'ja'
    ? 'Konpay: この電話番号は既に登録されています。ログインまたはアカウント復旧をご利用ください。'
    : 'Konpay: this number already has an account. Sign in or recover it instead.';
}

export type SecurityEventKind =
  | 'account_created' | 'new_device_login' | 'password_changed' | 'email_changed' | 'phone_changed'
  | 'factor_added' | 'factor_removed' | 'recovery_completed' | 'account_frozen' | 'card_added'
  | 'sessions_revoked' | 'breached_password_detected';

const EVENT_TITLES: Record<SecurityEventKind, { ja: string; en: string }> = {
  account_created: { ja: 'アカウントを作成しました', en: 'Your account was created' },
  new_device_login: { ja: '新しい端末からログインがありました', en: 'New sign-in on a new device' },
  password_changed: { ja: 'パスワードが変更されました', en: 'Your password was changed' },
  email_changed: { ja: 'メールアドレスが変更されました', en: 'Your e-mail address was changed' },
  phone_changed: { ja: '電話番号が変更されました', en: 'Your phone number was changed' },
  factor_added: { ja: '認証方法が追加されました', en: 'A sign-in method was added' },
  factor_removed: { ja: '認証方法が削除されました', en: 'A sign-in method was removed' },
  recovery_completed: { ja: 'アカウントが復旧されました', en: 'Your account was recovered' },
  account_frozen: { ja: 'アカウントを凍結しました', en: 'Your account was frozen' },
  card_added: { ja: 'カードが登録されました', en: 'A card was added' },
  sessions_revoked: { ja: 'すべての端末からログアウトしました', en: 'You were signed out everywhere' },
  breached_password_detected: { ja: 'パスワードの変更が必要です', en: 'Your password must be changed' },
};

export function securityNotice(locale: Locale, kind: SecurityEventKind, detail: string, helpUrl: string): { title: string; text: string } {
  const title = EVENT_TITLES[kind][locale];
  const text = locale === 'ja'
    ? `${title}。\n${detail}\n心当たりがない場合は、すぐにこちらからアカウントを凍結してください: ${helpUrl}`
    : `${title}.\n${detail}\nIf this wasn't you, freeze your account now: ${helpUrl}`;
  return { title, text };
}
