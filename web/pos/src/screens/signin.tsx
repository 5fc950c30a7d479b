/**
 * Terminal sign-in: the key id and secret issued when the terminal was registered, proved
 * by a harmless signed request (`GET /pos/v1/terminal`, which also names the store) before
 * the secret is kept for this tab.
 */
import { useState } from 'preact/hooks';
import { useAction } from '../action.js';
import type { Terminal } from '../contract.js';
import { useLocale } from '../i18n/i18n.js';
import { Layout } from '../layout.js';
import { InputError, explain } from '../problems.js';
import { rememberCredentials } from '../session.js';
import { Till } from '../till.js';
import { ErrorAlert, Field, Form, Submit } from '../ui.js';

/** Header values must be visible ASCII: anything else could not even be sent. */
const PRINTABLE = /^[\x21-\x7e]+$/;

export function SignInScreen({ reason, onSignedIn }: { reason: unknown; onSignedIn(till: Till, terminal: Terminal): void }) {
  const { t } = useLocale();
  const action = useAction();
  const [keyId, setKeyId] = useState('');
  const [secret, setSecret] = useState('');
  // Why the last session ended (a rotated secret, a revoked terminal), until the next try.
  const [why, setWhy] = useState(reason);

  const submit = () => action.run(async () => {
    setWhy(undefined);
    const creds = { keyId: keyId.trim(), secret: secret.trim() };
    if (!creds.keyId || !creds.secret) throw new InputError('signin.empty');
    if (!PRINTABLE.test(creds.keyId) || !PRINTABLE.test(creds.secret)) throw new InputError('error.pos_signature_malformed');
    const till = new Till(creds);
    const terminal = await till.terminal();
    rememberCredentials(creds);
    onSignedIn(till, terminal);
  });

  return (
    <Layout title={t('signin.title')}>
      <p class="why">{t('signin.why')}</p>
      <Form onSubmit={submit} busy={action.busy}>
        <Field label={t('signin.keyId')} hint={t('signin.keyId.hint')} name="keyId" value={keyId} onValue={setKeyId} focus />
        <Field label={t('signin.secret')} hint={t('signin.secret.hint')} name="secret" type="password" value={secret} onValue={setSecret} />
        <ErrorAlert message={action.message ?? (why === undefined ? undefined : explain(why, t))} />
        <Submit label={t('signin.submit')} busy={action.busy} />
      </Form>
    </Layout>
  );
}
