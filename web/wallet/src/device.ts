/**
 * The name this browser gets in the customer's device list ("Chrome on Android"), so they
 * can tell their devices apart and remove one they do not know. Derived from the user
 * agent only: nothing is read that the server does not already see.
 */
export function deviceLabel(ua = navigator.userAgent): string {
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS'
    : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : 'the web';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  return `${browser} on ${os}`;
}
