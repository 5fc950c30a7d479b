/**
 * Paying at the till (PAY-1): the screen opens locked. Unlocked with the PIN (or after
 * choosing one), it shows a fresh one-time code that renews itself every minute; leaving
 * the screen stops the renewing, and coming back locks it again. What the wallet can spend
 * and why it might not (restricted, frozen) is shown above the code.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Wallet } from '../../../shared/contract.js';
import { api, type ApiError } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { formatYen } from '../money.js';
import { CodeView } from '../pay/code-view.js';
import { SetPinForm, UnlockForm } from '../pay/unlock.js';
import { usePaymentCode } from '../pay/use-payment-code.js';
import { explain } from '../problems.js';
import { sessionEnded } from '../session.js';
import { ErrorAlert } from '../ui/form.js';
import { Layout } from '../ui/layout.js';
import { BackHome } from '../ui/nav.js';
import { WalletNotices } from '../ui/notices.js';

type Phase = { kind: 'locked' } | { kind: 'choose-pin'; why?: ApiError | undefined } | { kind: 'unlocked' };

function ShowCode({ onLocked, onSignedOut }: { onLocked(): void; onSignedOut(): void }) {
  const { t } = useLocale();
  const { code, error, retry } = usePaymentCode(onLocked);
  useEffect(() => {
    if (sessionEnded(error)) onSignedOut();
  }, [error]);
  if (error !== undefined) {
    return (
      <>
        <ErrorAlert message={explain(error, t)} />
        <button class="primary" type="button" onClick={retry}>{t('pay.code.again')}</button>
      </>
    );
  }
  if (!code) return <p role="status">{t('pay.code.loading')}</p>;
  return (
    <>
      <CodeView code={code} />
      <p class="hint">{t('pay.code.refresh')}</p>
      <p class="hint">{t('pay.brightness')}</p>
    </>
  );
}

export function PayScreen({ onSignedOut }: { onSignedOut(): void }) {
  const { t } = useLocale();
  const [phase, setPhase] = useState<Phase>({ kind: 'locked' });
  const [wallet, setWallet] = useState<Wallet>();
  useEffect(() => {
    // Context only: the code works without it, so a failure here is not shown.
    api<Wallet>('GET', '/v1/wallet').then(setWallet, (err: unknown) => sessionEnded(err) && onSignedOut());
  }, []);
  const unlocked = () => setPhase({ kind: 'unlocked' });
  return (
    <Layout title={t('pay.title')}>
      {wallet && <p class="available" data-testid="available">{t('home.available', { amount: formatYen(wallet.available) })}</p>}
      {wallet && <WalletNotices wallet={wallet} />}
      {phase.kind === 'locked' && <UnlockForm onUnlocked={unlocked} onNoPin={(why) => setPhase({ kind: 'choose-pin', why })} onSignedOut={onSignedOut} />}
      {phase.kind === 'choose-pin' && <SetPinForm why={phase.why} onUnlocked={unlocked} onSignedOut={onSignedOut} />}
      {phase.kind === 'unlocked' && <ShowCode onLocked={() => setPhase({ kind: 'locked' })} onSignedOut={onSignedOut} />}
      <BackHome />
    </Layout>
  );
}
