/**
 * The console's screens are paths under /console/ (the server answers each with the app),
 * so reloads, the back button and links an operator pastes land on the right screen.
 */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'dashboard' }
  | { name: 'customers' }
  | { name: 'customer'; id: string }
  | { name: 'switches' }
  | { name: 'webhooks' }
  | { name: 'cases' }
  | { name: 'case'; id: string }
  | { name: 'approvals' }
  | { name: 'audit' };

const BASE = '/console';

export function routeOf(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '');
  const customer = /^\/console\/customers\/(usr_[0-9a-f]{32})$/.exec(path);
  if (customer) return { name: 'customer', id: customer[1]! };
  if (path === `${BASE}/customers`) return { name: 'customers' };
  const kase = /^\/console\/cases\/(cas_[0-9a-f]{32})$/.exec(path);
  if (kase) return { name: 'case', id: kase[1]! };
  if (path === `${BASE}/cases`) return { name: 'cases' };
  if (path === `${BASE}/switches`) return { name: 'switches' };
  if (path === `${BASE}/approvals`) return { name: 'approvals' };
  if (path === `${BASE}/audit`) return { name: 'audit' };
  if (path === `${BASE}/webhooks`) return { name: 'webhooks' };
  return { name: 'dashboard' };
}

export function hrefOf(r: Route): string {
  switch (r.name) {
    case 'dashboard': return `${BASE}/`;
    case 'customer': return `${BASE}/customers/${r.id}`;
    case 'case': return `${BASE}/cases/${r.id}`;
    default: return `${BASE}/${r.name}`;
  }
}

const listeners = new Set<() => void>();

export function navigate(r: Route): void {
  history.pushState(null, '', hrefOf(r));
  for (const l of listeners) l();
}

/** The current route, re-rendering on navigate() and the back/forward buttons. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location.pathname));
  useEffect(() => {
    const update = () => setRoute(routeOf(location.pathname));
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return route;
}
