/**
 * Recovery codes (ID-11): ten single-use codes for signing in or recovering the account
 * when the phone is lost. The API shows them once, so this screen shows them once: kept in
 * memory only, gone when the customer leaves, with a clear warning and two ways to keep
 * them (a text file, the clipboard). Making new ones ends the old set: a confirmation first.
 */
import { useEffect, useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { sessionEnded } from '../session.js';
import { ErrorAlert } from '../ui/form.js';
import { Layout } from '../ui/layout.js';
import { Link } from '../ui/nav.js';
import type { Factors, RecoveryCodes } from './contract.js';
import { formatWhen } from './format.js';
import { useReauth } from './reauth.js';
import './security.css';

/** The file as saved: one code a line, with what they are and when they were made. */
function fileUrl(codes: RecoveryCodes, heading: string): string {
  const text = `${heading}\n${codes.createdAt}\n\n${codes.codes.join('\n')}\n`;
  return `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
}

export function RecoveryCodesScreen({ onSignedOut }: { onSignedOut(): void }) {
  const { t, locale } = useLocale();
  const action = useAction();
  const reauth = useReauth(action, onSignedOut);
  const [factors, setFactors] = useState<Factors>();
  const [issued, setIssued] = useState<RecoveryCodes>();
  const [confirming, setConfirming] = useState(false);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    void action.run(async () => {
      try {
        setFactors(await api<Factors>('GET', '/v1/me/factors'));
      } catch (err) {
        if (sessionEnded(err)) return onSignedOut();
        throw err;
      }
    });
  }, []);

  const make = () => action.run(() => reauth.guard(async () => {
    setIssued(await api<RecoveryCodes>('POST', '/v1/me/factors/recovery-codes'));
    setConfirming(false);
  }));
  const copy = () => action.run(async () => {
    await navigator.clipboard.writeText(issued!.codes.join('\n'));
    setCopied(true);
  });

  const hasCodes = !!factors?.recoveryCodes.createdAt;
  return (
    <Layout title={t('recoveryCodes.title')}>
      {issued
        ? (
          <>
            <p class="warning" role="alert">{t('recoveryCodes.once')}</p>
            <ol class="codes" data-testid="recovery-codes">{issued.codes.map((c) => <li key={c}><code>{c}</code></li>)}</ol>
            <p class="hint">{t('recoveryCodes.each')}</p>
            <a class="secondary button" href={fileUrl(issued, t('recoveryCodes.fileHeading'))} download="konpay-recovery-codes.txt">{t('recoveryCodes.download')}</a>
            <button class="secondary" type="button" onClick={copy}>{t('recoveryCodes.copy')}</button>
            {copied && <p class="note" role="status">{t('recoveryCodes.copied')}</p>}
            <ErrorAlert message={action.message} />
            <Link to="security" class="primary button">{t('recoveryCodes.saved')}</Link>
          </>
        )
        : (
          <>
            <p class="why">{t('recoveryCodes.why')}</p>
            {factors && (
              <p data-testid="recovery-codes-status">
                {hasCodes
                  ? t('recoveryCodes.status', { n: factors.recoveryCodes.remaining, when: formatWhen(factors.recoveryCodes.createdAt!, locale) })
                  : t('factors.recoveryCodes.none')}
              </p>
            )}
            {reauth.panel}
            <ErrorAlert message={action.message} />
            {factors && (hasCodes && !confirming
              ? <button class="secondary" type="button" onClick={() => setConfirming(true)}>{t('recoveryCodes.new')}</button>
              : (
                <div class="confirm">
                  {hasCodes && <p class="why">{t('recoveryCodes.replace')}</p>}
                  <button class="primary" type="button" disabled={action.busy} onClick={make}>{t('recoveryCodes.make')}</button>
                  {hasCodes && <button class="link" type="button" onClick={() => setConfirming(false)}>{t('action.cancel')}</button>}
                </div>
              ))}
            <p class="back"><Link to="security">{t('nav.security')}</Link></p>
          </>
        )}
    </Layout>
  );
}
