-- External ID sign-in (ID-12, src/identity/oidc/). An external identity is the provider's
-- (issuer, subject) pair: the only thing an ID token says about who signed in that the
-- provider promises is stable and unique. It is linked to an account only by its signed-in
-- owner after a re-authentication, never by an e-mail address. The start of each sign-in
-- (state, nonce, PKCE verifier) is an auth_flows row of kind 'oidc', swept with the others.

CREATE TABLE external_identities (
  id           uuid PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users (id),
  provider     text NOT NULL,                      -- the configured provider's name (OIDC_PROVIDERS)
  issuer       text NOT NULL,                      -- `iss` of the ID token that linked it
  subject      text NOT NULL,                      -- `sub`: stable per issuer
  email        text,                               -- as the provider claimed it when linked: shown to the customer, never used to find an account
  created_at   timestamptz NOT NULL,
  last_used_at timestamptz
);
-- One external identity opens one account, and an account holds one identity per provider.
CREATE UNIQUE INDEX external_identities_subject ON external_identities (issuer, subject);
CREATE UNIQUE INDEX external_identities_user_provider ON external_identities (user_id, provider);
