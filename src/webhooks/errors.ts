import { defineErrors } from '../shared/errors.js';

/** What the webhook operator routes can answer besides the operator API's own codes (merchant_not_found…). */
export const webhookErrors = defineErrors('webhooks', {
  webhook_event_not_found: { status: 404, title: 'No such webhook event', hint: 'Event ids look like `evt_…`; find them in the delivery log.' },
  webhook_endpoint_not_found: { status: 404, title: 'No such webhook endpoint for this merchant' },
  webhook_url_refused: { status: 422, title: 'This URL cannot receive webhooks', hint: 'An absolute https:// URL (http:// outside production) without a user name, password or #fragment.' },
});
