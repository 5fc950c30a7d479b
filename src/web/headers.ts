/**
 * Security headers of the web apps' pages. The apps are built without inline scripts or
 * styles, so their policy allows code only from this origin; Trusted Types make any
 * HTML-string sink (innerHTML and friends) throw, so markup can only come from the
 * framework's DOM calls, and script URLs only from the one named policy.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  // The one policy the apps create: the wallet's, for its service worker's URL.
  'trusted-types konpay-sw',
].join('; ');

/** The missing-build page: no script at all, its one style block inline. */
export const FALLBACK_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Powerful features are off for every page but one: the POS page reads the customer's
 * code with the register's camera, so only it (and only from this origin) may ask for
 * the camera. Nothing of Konpay's needs the microphone, location or payment handlers.
 */
export function permissionsPolicy(opts: { camera: boolean }): string {
  return [`camera=${opts.camera ? '(self)' : '()'}`, 'microphone=()', 'geolocation=()', 'payment=()', 'usb=()'].join(', ');
}

export function pageHeaders(csp: string, opts: { camera?: boolean } = {}): Record<string, string> {
  return {
    'content-security-policy': csp,
    'permissions-policy': permissionsPolicy({ camera: opts.camera ?? false }),
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'x-frame-options': 'DENY',
  };
}
