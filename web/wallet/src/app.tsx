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
import { ClaimScreen } from './claims/claim.js';
import { RecoverScreen } from './security/recover.js';
import { RecoveryCodesScreen } from './security/recovery-codes.js';
import { RESET_REQUIRED_EVENT, ResetRequiredScreen } from './security/reset-required.js';
import { SecurityScreen } from './security/security.js';
import { TotpScreen } from './security/totp.js';

/** `reset`: signed in, but the account must replace its password before anything else. */
type Session = 'checking' | 'in' | 'out' | 'reset';

/** The screens of a signed-in customer; any other path lands on home. */
const SIGNED_IN: readonly Route[] = ['home', 'pay', 'history', 'security', 'totp', 'recoveryCodes', 'cards', 'topup', 'claim'];
/** The screens of a signed-out visitor; any other path lands on signing in. */
const SIGNED_OUT: readonly Route[] = ['login', 'signup', 'recover'];

function allowed(route: Route | undefined, session: Session): Route {
  if (session === 'reset') return 'resetPassword';
  if (session === 'in') return route && SIGNED_IN.includes(route) ? route : 'home';
  return route && SIGNED_OUT.includes(route) ? route : 'login';
}

export function App() {
  const path = usePathname();
  const [session, setSession] = useState<Session>('checking');

  useEffect(() => {
    api<Me>('GET', '/v1/me').then((me) => setSession(me.mustResetPassword ? 'reset' : 'in'), () => setSession('out'));
    // Any refusal with `password_reset_required` (api.ts) switches to the new-password screen.
    const mustReset = () => setSession('reset');
    addEventListener(RESET_REQUIRED_EVENT, mustReset);
    return () => removeEventListener(RESET_REQUIRED_EVENT, mustReset);
  }, []);

  const asked = routeOf(path);
  const shown = session === 'checking' ? undefined : allowed(asked, session);
  useEffect(() => {
    if (shown && shown !== asked) navigate(shown, { replace: true });
  }, [shown, asked]);

  // Every way of signing in ends here; the account says whether a new password comes first.
  const signedIn = () => {
    setSession('checking');
    api<Me>('GET', '/v1/me').then((me) => setSession(me.mustResetPassword ? 'reset' : 'in'), () => setSession('in'));
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
    case 'claim': return <ClaimScreen onSignedOut={signedOut} />;
    case 'resetPassword': return <ResetRequiredScreen onReset={() => { setSession('in'); navigate('home'); }} onSignedOut={signedOut} />;
  }
}
