/**
 * The console: signed out, the operator sign-in; signed in, the screen its path names. A
 * reload asks the server who is signed in (the cookie is HttpOnly) and gets the CSRF
 * token again; an ended session anywhere brings back the sign-in with the reason.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, setCsrfToken } from './api.js';
import type { Operator, WhoAmI } from './contract.js';
import { useRoute } from './router.js';
import { ApprovalsScreen } from './screens/approvals.js';
import { AuditScreen } from './screens/audit.js';
import { CaseScreen } from './screens/case.js';
import { CasesScreen } from './screens/cases.js';
import { CustomerScreen } from './screens/customer.js';
import { DashboardScreen } from './screens/dashboard.js';
import { SearchScreen } from './screens/search.js';
import { SignInScreen } from './screens/signin.js';
import { SwitchesScreen } from './screens/switches.js';
import { WebhooksScreen } from './screens/webhooks.js';
import { SessionContext, type Session } from './session.js';

type State = { kind: 'checking' } | { kind: 'out'; reason?: unknown } | { kind: 'in'; operator: Operator };

export function App() {
  const [state, setState] = useState<State>({ kind: 'checking' });

  useEffect(() => {
    api<WhoAmI>('GET', '/ops/v1/session').then(
      (r) => {
        setCsrfToken(r.csrfToken);
        setState({ kind: 'in', operator: r.operator });
      },
      // Not signed in (401) is the usual answer here; nothing to explain.
      () => setState({ kind: 'out' }),
    );
  }, []);

  const session = useMemo<Session | undefined>(() => state.kind !== 'in' ? undefined : {
    operator: state.operator,
    canChangeSwitches: state.operator.role !== 'support',
    signOut(reason) {
      // Ask the server to end the session too, unless it already has.
      if (reason === undefined) void api('DELETE', '/ops/v1/session').catch(() => undefined);
      setCsrfToken(null);
      setState({ kind: 'out', reason });
    },
  }, [state]);

  if (state.kind === 'checking') return null;
  if (!session) {
    return (
      <SignInScreen
        reason={state.kind === 'out' ? state.reason : undefined}
        onSignedIn={(operator, csrf) => {
          setCsrfToken(csrf);
          setState({ kind: 'in', operator });
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <Screens />
    </SessionContext.Provider>
  );
}

function Screens() {
  const route = useRoute();
  switch (route.name) {
    case 'customers': return <SearchScreen />;
    case 'customer': return <CustomerScreen key={route.id} id={route.id} />;
    case 'switches': return <SwitchesScreen />;
    case 'webhooks': return <WebhooksScreen />;
    case 'cases': return <CasesScreen />;
    case 'case': return <CaseScreen key={route.id} id={route.id} />;
    case 'approvals': return <ApprovalsScreen />;
    case 'audit': return <AuditScreen />;
    default: return <DashboardScreen />;
  }
}
