import { defineErrors } from '../../shared/errors.js';

/**
 * What external ID sign-in (ID-12) can refuse with. The callback is a browser redirect:
 * it answers these codes in the fragment of the wallet page it sends the browser to
 * (`/app/login#oidc=error&code=…`), and the JSON endpoints as problem+json.
 */
export const oidcErrors = defineErrors('oidc', {
  oidc_provider_unknown: { status: 404, title: 'No such sign-in provider', hint: 'GET /v1/oidc/providers lists the ones configured.' },
  oidc_start_limit: { status: 429, title: 'Too many sign-ins with an external ID were started from your network', hint: 'Wait for the number of seconds in `Retry-After`, or sign in with your password.' },
  oidc_unavailable: { status: 503, title: 'The sign-in provider cannot be reached right now', hint: 'Try again in a moment, or sign in with your password.' },
  oidc_flow_invalid: { status: 400, title: 'This sign-in was already used, has expired, or was started in another browser', hint: 'Start again from the sign-in screen, in the same browser.' },
  oidc_provider_error: { status: 400, title: 'The provider did not sign you in', hint: 'You may have cancelled at the provider. Start again, or sign in with your password.' },
  oidc_token_invalid: { status: 401, title: 'The provider\'s answer could not be verified', hint: 'Konpay checks the ID token\'s signature, issuer, audience, expiry and nonce. Start again; if it keeps failing, sign in with your password.' },
  oidc_not_linked: { status: 404, title: 'This external ID is not linked to a Konpay account', hint: 'Sign in with your password and link it under Security, or sign up. Konpay never links by e-mail address.' },
  external_identity_taken: { status: 409, title: 'This external ID is linked to another Konpay account', hint: 'Unlink it there first.' },
  external_identity_exists: { status: 409, title: 'An identity of this provider is already linked to your account', hint: 'Unlink it first (DELETE /v1/me/external-identities/{provider}).' },
  external_identity_not_found: { status: 404, title: 'No identity of this provider is linked to your account' },
  oidc_link_session_ended: { status: 401, title: 'The session that asked for the link has ended', hint: 'Sign in, confirm it is you, and link again.' },
});
