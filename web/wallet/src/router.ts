/**
 * The wallet's screens are paths under /app/ (the server answers every one with the app),
 * so reloads, the back button and shared links land on the right screen.
 */
import { useEffect, useState } from 'preact/hooks';

const BASE = '/app';

export type Route =
  | 'home' | 'signup' | 'login' | 'pay' | 'history'
  // Security (web/wallet/src/security/)
  | 'security' | 'totp' | 'recoveryCodes' | 'recover' | 'resetPassword'
  // Money (web/wallet/src/money/)
  | 'cards' | 'topup'
  // Reporting unauthorised use (web/wallet/src/claims/)
  | 'claim';

const PATHS: Record<Route, string> = {
  home: `${BASE}/`, signup: `${BASE}/signup`, login: `${BASE}/login`, pay: `${BASE}/pay`, history: `${BASE}/history`,
  security: `${BASE}/security`, totp: `${BASE}/security/totp`, recoveryCodes: `${BASE}/security/recovery-codes`, recover: `${BASE}/recover`,
  resetPassword: `${BASE}/reset-password`,
  cards: `${BASE}/cards`, topup: `${BASE}/topup`,
  claim: `${BASE}/claim`,
};

export function routeOf(pathname: string): Route | undefined {
  return (Object.keys(PATHS) as Route[]).find((r) => PATHS[r] === pathname || (r === 'home' && pathname === BASE));
}

export function hrefOf(route: Route): string {
  return PATHS[route];
}

const listeners = new Set<() => void>();

export function navigate(route: Route, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', PATHS[route]);
  else history.pushState(null, '', PATHS[route]);
  for (const l of listeners) l();
}

/** The current path, re-rendering on navigate() and the back/forward buttons. */
export function usePathname(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return path;
}
