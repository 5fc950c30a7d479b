/**
 * Kill switches (OPS-1): every feature's global switch and every store switch ever set,
 * with who changed it, when and why; a form to change one (a reason is always asked,
 * and the change confirmed). Risk and admin only; support sees the table.
 */
import { useEffect, useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import type { Switch, SwitchChange, Switches } from '../contract.js';
import { formatTime } from '../format.js';
import { useLocale } from '../i18n/i18n.js';
import { Layout } from '../layout.js';
import { InputError } from '../problems.js';
import { useSession } from '../session.js';
import { Confirm, Done, ErrorAlert, Field, Form, ReasonField, Table } from '../ui.js';

type Feature = Switch['feature'];
const FEATURES: Feature[] = ['card_topups', 'cash_topups', 'payments', 'signups'];

export function SwitchesScreen() {
  const { t } = useLocale();
  const session = useSession();
  const load = useAction();
  const change = useAction();
  const [switches, setSwitches] = useState<Switch[]>();
  const [feature, setFeature] = useState<Feature>('card_topups');
  const [storeId, setStoreId] = useState('');
  const [off, setOff] = useState(true);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string>();

  const reload = () => load.run(async () => setSwitches((await api<Switches>('GET', '/ops/v1/switches?historyLimit=0')).switches));
  useEffect(() => {
    void reload();
  }, []);

  const scopeOf = (s: { storeId?: string | null | undefined; storeName?: string | null }) => s.storeId ? (s.storeName ?? s.storeId) : t('switches.scope.all');
  const stateOf = (isOff: boolean) => t(isOff ? 'switches.off' : 'switches.on');
  const body = (): SwitchChange => ({ feature, storeId: storeId.trim() || null, off, reason: reason.trim() });

  const ask = () => change.run(async () => {
    setDone(undefined);
    if (reason.trim().length < 3) throw new InputError('reason.short');
    setConfirming(true);
  });
  const apply = () => change.run(async () => {
    setConfirming(false);
    const b = body();
    const r = await api<Switch>('PUT', '/ops/v1/switches', b);
    setDone(t('switches.done', { feature: t(`feature.${r.feature}`), state: stateOf(r.off), scope: scopeOf(r) }));
    setReason('');
    await reload();
  });
  const prefill = (s: Switch) => {
    setFeature(s.feature);
    setStoreId(s.storeId ?? '');
    setOff(!s.off);
    setConfirming(false);
    document.getElementById('switch-feature')?.focus();
  };

  return (
    <Layout title={t('switches.title')} section="switches">
      <p class="why">{t('switches.why')}</p>
      <ErrorAlert message={load.message} />
      <section id="switch-form" aria-labelledby="switch-form-title" class="action">
        <h2 id="switch-form-title">{t('switches.form')}</h2>
        <ErrorAlert message={change.message} />
        <Done message={done} testId="switch-done" />
        {!session.canChangeSwitches ? <p class="notice">{t('switches.role')}</p> : (
          <>
            <Form onSubmit={ask} busy={change.busy}>
              <div class="grid">
                <div class="field">
                  <label for="switch-feature">{t('switches.feature')}</label>
                  <select id="switch-feature" value={feature} onChange={(e) => setFeature(e.currentTarget.value as Feature)}>
                    {FEATURES.map((f) => <option key={f} value={f}>{t(`feature.${f}`)}</option>)}
                  </select>
                </div>
                <Field label={t('switches.store')} hint={t('switches.store.hint')} name="storeId" value={storeId} onValue={setStoreId} />
                <fieldset class="choice">
                  <legend>{t('switches.action')}</legend>
                  <label><input type="radio" name="off" checked={off} onChange={() => setOff(true)} /> {t('switches.turnOff')}</label>
                  <label><input type="radio" name="off" checked={!off} onChange={() => setOff(false)} /> {t('switches.turnOn')}</label>
                </fieldset>
                <ReasonField label={t('switches.reason')} hint={t('freeze.reason.hint')} value={reason} onValue={setReason} />
              </div>
              {!confirming && <button type="submit" class={off ? 'danger' : 'primary'} disabled={change.busy}>{t('switches.submit')}</button>}
            </Form>
            {confirming && (
              <Confirm
                question={t('switches.confirm', { feature: t(`feature.${feature}`), state: stateOf(off), scope: scopeOf({ storeId: storeId.trim() || null }) })}
                yes={t('switches.yes')} danger={off} busy={change.busy} onYes={() => void apply()} onCancel={() => setConfirming(false)}
              />
            )}
          </>
        )}
      </section>
      {switches && (
        <Table
          caption={t('switches.table')} empty={t('customer.none')} testId="switches"
          head={[t('switches.feature'), t('switches.scope'), t('switches.state'), t('switches.reason'), t('switches.changedBy'), t('switches.changedAt'), '']}
          rows={switches.map((s) => [
            t(`feature.${s.feature}`), scopeOf(s), <span class={s.off ? 'badge bad' : 'badge ok'}>{stateOf(s.off)}</span>,
            s.reason ?? t('switches.never'), s.changedBy ?? t('switches.never'), formatTime(s.changedAt),
            session.canChangeSwitches
              ? <button type="button" class="link" aria-label={`${t('switches.change')} ${t(`feature.${s.feature}`)} · ${scopeOf(s)}`} onClick={() => prefill(s)}>{t('switches.change')}</button>
              : '',
          ])}
        />
      )}
    </Layout>
  );
}
