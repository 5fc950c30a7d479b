/**
 * Which screen to show: the path says what the customer asked for, the session (asked of
 * the API once at start, since the session cookie is not readable by script) says what
 * they may see. Signed out, the wallet sends them to sign in; signed in, away from it.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Me } from '../../shared/contract.js';
import { api } from './api.js';
import { navigate, routeOf, usePathname, type Route } from './router.js';
import { HistoryScreen } from './screens/history.js';
import { HomeScreen } from './screens/home.js';
import { LoginScreen } from './screens/login.js';
import { PayScreen } from './screens/pay.js';
import { SignupScreen } from './screens/signup.js';
import { CardsScreen } from './money/cards.js';
import { TopupScreen } from './money/topup.js';
import { RecoverScreen } from './security/recover.js';
import { RecoveryCodesScreen } from './security/recovery-codes.js';
import { SecurityScreen } from './security/security.js';
import { TotpScreen } from './security/totp.js';

type Session = 'checking' | 'in' | 'out';

/** The screens of a signed-in customer; any other path lands on home. */
const SIGNED_IN: readonly Route[] = ['home', 'pay', 'history', 'security', 'totp', 'recoveryCodes', 'cards', 'topup'];
/** The screens of a signed-out visitor; any other path lands on signing in. */
const SIGNED_OUT: readonly Route[] = ['login', 'signup', 'recover'];

function allowed(route: Route | undefined, session: Session): Route {
  if (session === 'in') return route && SIGNED_IN.includes(route) ? route : 'home';
  return route && SIGNED_OUT.includes(route) ? route : 'login';
}

export function App() {
  const path = usePathname();
  const [session, setSession] = useState<Session>('checking');

  useEffect(() => {
    api<Me>('GET', '/v1/me').then(() => setSession('in'), () => setSession('out'));
  }, []);

  const asked = routeOf(path);
  const shown = session === 'checking' ? undefined : allowed(asked, session);
  useEffect(() => {
    if (shown && shown !== asked) navigate(shown, { replace: true });
  }, [shown, asked]);

  const signedIn = () => {
    setSession('in');
    navigate('home');
  };
  const signedOut = () => {
    setSession('out');
    navigate('login');
  };

  switch (shown) {
    case undefined: return null;
    case 'home': return <HomeScreen onSignedOut={signedOut} />;
    case 'pay': return <PayScreen onSignedOut={signedOut} />;
    case 'history': return <HistoryScreen onSignedOut={signedOut} />;
    case 'signup': return <SignupScreen onSignedIn={signedIn} />;
    case 'login': return <LoginScreen onSignedIn={signedIn} />;
    case 'recover': return <RecoverScreen onSignedIn={signedIn} />;
    case 'security': return <SecurityScreen onSignedOut={signedOut} />;
    case 'totp': return <TotpScreen onSignedOut={signedOut} />;
    case 'recoveryCodes': return <RecoveryCodesScreen onSignedOut={signedOut} />;
    case 'cards': return <CardsScreen onSignedOut={signedOut} />;
    case 'topup': return <TopupScreen onSignedOut={signedOut} />;
  }
}
