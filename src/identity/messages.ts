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
  | 'sessions_revoked' | 'breached_password_detected' | 'app_pin_locked' | 'money_moved' | 'account_unfrozen'
  | 'password_reset_required' | 'external_identity_linked' | 'external_identity_unlinked' | 'limits_changed';

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
  app_pin_locked: { ja: 'アプリのPINが無効になりました', en: 'Your app PIN was disabled' },
  money_moved: { ja: 'ウォレットのお金が動きました', en: 'Money moved in your wallet' },
  account_unfrozen: { ja: 'アカウントの凍結が解除されました', en: 'Your account was unfrozen' },
  password_reset_required: { ja: 'パスワードの再設定が必要です', en: 'Your password must be replaced' },
  external_identity_linked: { ja: '外部IDでのログインが追加されました', en: 'Sign-in with an external ID was added' },
  external_identity_unlinked: { ja: '外部IDでのログインが削除されました', en: 'Sign-in with an external ID was removed' },
  limits_changed: { ja: 'ご利用限度額が変更されました', en: 'Your limits were changed' },
};

export function securityNotice(locale: Locale, kind: SecurityEventKind, detail: string, helpUrl: string): { title: string; text: string } {
  const title = EVENT_TITLES[kind][locale];
  // A frozen account needs help, not another freeze link.
  const text = kind === 'account_frozen'
    ? (locale === 'ja'
      ? `${title}。\n${detail}\n凍結の解除や不正利用の補償については、Konpayサポートにご連絡ください: ${helpUrl}`
      : `${title}.\n${detail}\nTo unfreeze it or report unauthorised use, contact Konpay support: ${helpUrl}`)
    : locale === 'ja'
      ? `${title}。\n${detail}\n心当たりがない場合は、すぐにこちらからアカウントを凍結してください: ${helpUrl}`
      : `${title}.\n${detail}\nIf this wasn't you, freeze your account now: ${helpUrl}`;
  return { title, text };
}

/** The SMS to the verified phone after a recovery (ID-7: told on every channel). */
export function recoveredSms(locale: Locale, freezeLink: string): string {
  return locale === 'ja'
    ? `Konpay: アカウントが復旧され、パスワードが変更されました。心当たりがない場合は凍結してください: ${freezeLink}`
    : `Konpay: your account was recovered and its password changed. If this wasn't you, freeze it: ${freezeLink}`;
}

/** The SMS to the number an account just left (ID-8: a notice to the old one). */
export function phoneChangedSms(locale: Locale, newPhoneMasked: string, freezeLink: string): string {
  return locale === 'ja'
    ? `Konpay: アカウントの電話番号が${newPhoneMasked}に変更されました。心当たりがない場合は凍結してください: ${freezeLink}`
    : `Konpay: your account's phone number was changed to ${newPhoneMasked}. If this wasn't you, freeze it: ${freezeLink}`;
}

/** Instead of a code, to an address or number that another account already holds. */
export function contactInUseEmail(locale: Locale): { subject: string; text: string } {
  return locale === 'ja'
    ? { subject: 'Konpay: メールアドレス変更の試みがありました', text: '別のKonpayアカウントがこのメールアドレスへの変更を試みましたが、このアドレスは既にあなたのアカウントで使われているため、変更はできません。心当たりがなければ、このメールは無視してください。' }
    : { subject: 'Konpay: someone tried to use your address', text: 'Another Konpay account tried to change its e-mail address to this one. It already belongs to your account, so nothing was changed. If this was not you, you can ignore this e-mail.' };
}

export function contactInUseSms(locale: Locale): string {
  return locale === 'ja'
    ? 'Konpay: 別のアカウントがこの電話番号への変更を試みましたが、この番号は既に登録済みのため変更できません。'
    : 'Konpay: another account tried to take this number, which already has an account. Nothing was changed.';
}

/** The detail line of a contact or password change notice: what changed, from where, what is paused. */
export function changeDetail(locale: Locale, change: { from?: string; to?: string; ip: string | null; when: Date }): string {
  const what = change.from && change.to ? (locale === 'ja' ? `${change.from} → ${change.to} / ` : `${change.from} → ${change.to} · `) : '';
  return locale === 'ja'
    ? `${what}IP: ${change.ip ?? '-'} / 日時: ${change.when.toISOString()}\n24時間はカードチャージと5,000円を超える支払いが制限されます。`
    : `${what}IP: ${change.ip ?? '-'} · ${change.when.toISOString()}\nFor 24 hours, card top-ups and payments over ¥5,000 are paused.`;
}

/** The "this wasn't me" page (GET shows it, only its button's POST freezes). */
export const FREEZE_PAGE: Record<Locale, {
  title: string; lead: string; effects: string; button: string; done: string; invalid: string; help: string;
}> = {
  ja: {
    title: 'アカウントを凍結しますか？',
    lead: '次の操作に心当たりがない場合は、アカウントを凍結してください。',
    effects: '凍結すると、すべての端末からログアウトされ、支払い・チャージ・設定変更ができなくなります。',
    button: 'アカウントを凍結する',
    done: 'アカウントを凍結しました。すべての端末からログアウトされました。',
    invalid: 'このリンクは無効か、有効期限が切れているか、既に使用されています。',
    help: '凍結の解除や不正利用の補償については、アプリの「ヘルプ」からKonpayサポートにご連絡ください。',
  },
  en: {
    title: 'Freeze your Konpay account?',
    lead: 'If you did not do the following, freeze your account.',
    effects: 'Freezing signs you out everywhere and stops payments, top-ups and account changes.',
    button: 'Freeze my account',
    done: 'Your account is frozen and every session has been signed out.',
    invalid: 'This link is invalid, has expired or was already used.',
    help: 'To unfreeze the account or claim back unauthorised payments, contact Konpay support from the Help screen of the app.',
  },
};
