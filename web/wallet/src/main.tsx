/** The wallet's entry: the app in the page, and the service worker that makes it installable. */
import { render } from 'preact';
import { App } from './app.js';
import { LocaleProvider } from './i18n/i18n.js';
import '../../shared/base.css';
import './styles.css';

render(<LocaleProvider><App /></LocaleProvider>, document.getElementById('root')!);

const WORKER = '/app/sw.js';

/**
 * The page's CSP requires Trusted Types (src/web/headers.ts): a script URL must come from
 * a named policy, and this one vouches for the worker's fixed URL and nothing else.
 */
interface TrustedTypesApi {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): string };
}
const trustedTypes = (window as { trustedTypes?: TrustedTypesApi }).trustedTypes;
const workerPolicy = trustedTypes?.createPolicy('konpay-sw', {
  createScriptURL(url) {
    if (url !== WORKER) throw new TypeError(`not the wallet's service worker: ${url}`);
    return url;
  },
});

if ('serviceWorker' in navigator) {
  // After the page is up, so the worker's first fetches do not compete with the app's.
  addEventListener('load', () => {
    void navigator.serviceWorker.register(workerPolicy ? workerPolicy.createScriptURL(WORKER) : WORKER, { scope: '/app/' });
  });
}
