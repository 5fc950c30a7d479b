-- Webhook signing secrets can be rotated without a gap (docs/merchant-webhooks.md): the
-- old secret keeps signing next to the new one until `previous_secret_until`, so a
-- merchant deploys the new secret when it suits them and nothing is refused meanwhile.
-- Sealed like the current one, under the same endpoint-bound AAD.
ALTER TABLE webhook_endpoints
  ADD COLUMN previous_secret_sealed text,
  ADD COLUMN previous_secret_until  timestamptz,
  ADD CONSTRAINT webhook_endpoints_previous_secret CHECK ((previous_secret_sealed IS NULL) = (previous_secret_until IS NULL));
