/**
 * What happened to the account lately (ID-13), and what to do about something the customer
 * does not recognise. The account-wide freeze needs the one-time link from the notice
 * e-mail (a stolen session must not be able to lock the owner out), so the app offers
 * what a session may safely do: change the password, which signs out every other session
 * at once, then check the devices and passkeys listed above.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocale, type Translate } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/en.js';
import type { SecurityEvent } from './contract.js';
import { formatWhen } from './format.js';
import { PasswordChange } from './password-change.js';
import type { SecurityData } from './security.js';

interface SectionProps { data: SecurityData; onChanged(): Promise<void>; onSignedOut(): void }

const KINDS = [
  'account_created', 'new_device_login', 'password_changed', 'email_changed', 'phone_changed', 'factor_added', 'factor_removed',
  'recovery_completed', 'account_frozen', 'card_added', 'sessions_revoked', 'breached_password_detected', 'app_pin_locked', 'money_moved',
  'external_identity_linked', 'external_identity_unlinked',
] as const;
const METHODS = ['sms', 'totp', 'recovery_code', 'passkey'] as const;

function title(e: SecurityEvent, t: Translate): string {
  const kind = KINDS.find((k) => k === e.kind);
  return kind ? t(`event.${kind}` satisfies MessageKey) : t('event.other', { kind: e.kind });
}

/** The details worth reading: which way of confirming, which device or passkey. */
function detail(e: SecurityEvent, t: Translate): string | undefined {
  const method = METHODS.find((m) => m === e.details.method);
  const name = typeof e.details.device === 'string' ? e.details.device : typeof e.details.label === 'string' ? e.details.label : undefined;
  const parts = [method && t(`method.${method}` satisfies MessageKey), name].filter((p): p is string => !!p);
  return parts.length ? parts.join(' · ') : undefined;
}

export function EventsSection({ data, onChanged, onSignedOut }: SectionProps) {
  const { t, locale } = useLocale();
  const [doubted, setDoubted] = useState<SecurityEvent>();
  const heading = useRef<HTMLHeadingElement>(null);
  // The panel opens above the list, maybe out of view: bring it up and move the focus there.
  useEffect(() => {
    if (!doubted) return;
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus();
  }, [doubted]);
  return (
    <section class="panel" aria-labelledby="events-heading">
      <h2 id="events-heading">{t('events.title')}</h2>
      <p class="hint">{t('events.why')}</p>
      {doubted && (
        <section class="notme" aria-labelledby="notme-heading">
          <h3 id="notme-heading" ref={heading} tabIndex={-1}>{t('notMe.title')}</h3>
          <p>{t('notMe.about', { what: title(doubted, t), when: formatWhen(doubted.createdAt, locale) })}</p>
          <ol>
            <li>{t('notMe.step.password')}</li>
            <li>{t('notMe.step.review')}</li>
            <li>{t('notMe.step.freeze')}</li>
          </ol>
          <PasswordChange onChanged={onChanged} onSignedOut={onSignedOut} />
          <button class="link" type="button" onClick={() => setDoubted(undefined)}>{t('action.close')}</button>
        </section>
      )}
      {data.events.length === 0
        ? <p>{t('events.none')}</p>
        : (
          <ul class="items" data-testid="events">
            {data.events.map((e) => {
              const what = title(e, t);
              const more = detail(e, t);
              return (
                <li key={e.id} data-testid="event">
                  <div class="what">
                    <strong>{what}</strong>
                    <span><time dateTime={e.createdAt}>{formatWhen(e.createdAt, locale)}</time>{e.ip && ` · ${e.ip}`}</span>
                    {more && <span>{more}</span>}
                  </div>
                  {e.kind !== 'account_frozen' && (
                    <button class="small" type="button" onClick={() => setDoubted(e)} aria-label={t('events.notMeNamed', { what })}>{t('events.notMe')}</button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
    </section>
  );
}
