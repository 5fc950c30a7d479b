/**
 * The till: signed out, the terminal sign-in; signed in, its three tasks. A reload in
 * the same tab signs back in with the credentials kept for the tab, checked again first.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Terminal } from './contract.js';
import { useLocale } from './i18n/i18n.js';
import { Layout, type Task } from './layout.js';
import { AfterSaleScreen } from './screens/after-sale.js';
import { CashScreen } from './screens/cash.js';
import { SaleScreen } from './screens/sale.js';
import { SignInScreen } from './screens/signin.js';
import { SessionContext, forgetCredentials, savedCredentials, type Session } from './session.js';
import { Till } from './till.js';

type State =
  | { kind: 'checking' }
  | { kind: 'out'; reason?: unknown }
  | { kind: 'in'; till: Till; terminal: Terminal };

export function App() {
  const [state, setState] = useState<State>(() => (savedCredentials() ? { kind: 'checking' } : { kind: 'out' }));

  useEffect(() => {
    const saved = savedCredentials();
    if (!saved) return;
    const till = new Till(saved);
    till.terminal().then(
      (terminal) => setState({ kind: 'in', till, terminal }),
      (reason: unknown) => {
        forgetCredentials();
        setState({ kind: 'out', reason });
      },
    );
  }, []);

  const session = useMemo<Session | undefined>(() => state.kind !== 'in' ? undefined : {
    till: state.till, terminal: state.terminal,
    signOut(reason) {
      forgetCredentials();
      setState({ kind: 'out', reason });
    },
  }, [state]);

  if (state.kind === 'checking') return null;
  if (!session) {
    return <SignInScreen reason={state.kind === 'out' ? state.reason : undefined} onSignedIn={(till, terminal) => setState({ kind: 'in', till, terminal })} />;
  }
  return (
    <SessionContext.Provider value={session}>
      <Tasks />
    </SessionContext.Provider>
  );
}

function Tasks() {
  const { t } = useLocale();
  const [task, setTask] = useState<Task>('sale');
  // A payment handed from the approved screen to cancel/refund; each switch is a fresh screen.
  const [paymentId, setPaymentId] = useState<string>();
  const [visit, setVisit] = useState(0);
  const open = (next: Task, id?: string) => {
    setPaymentId(id);
    setTask(next);
    setVisit((v) => v + 1);
  };
  const titles: Record<Task, string> = { sale: t('sale.title'), afterSale: t('after.title'), cash: t('cash.title') };
  return (
    <Layout title={titles[task]} task={task} onTask={(k) => open(k)}>
      {task === 'sale' && <SaleScreen key={visit} onAfterSale={(id) => open('afterSale', id)} />}
      {task === 'afterSale' && <AfterSaleScreen key={visit} initialId={paymentId} />}
      {task === 'cash' && <CashScreen key={visit} />}
    </Layout>
  );
}
