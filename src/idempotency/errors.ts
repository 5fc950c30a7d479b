import { defineErrors } from '../shared/errors.js';

export const idempotencyErrors = defineErrors('idempotency', {
  idempotency_key_required: { status: 400, title: 'This request moves money and needs an Idempotency-Key header', hint: 'Send a new random value (a UUID) per intended operation, and the same value when you retry it.' },
  idempotency_key_invalid: { status: 400, title: 'The Idempotency-Key header is not valid', hint: '1 to 255 visible ASCII characters.' },
  idempotency_key_reused: { status: 409, title: 'This Idempotency-Key was used for a different request', hint: 'Use a new key for a new operation; a retry must repeat the first request exactly.' },
  idempotency_request_in_progress: { status: 409, title: 'A request with this Idempotency-Key is still being processed', hint: 'Retry after the number of seconds in `Retry-After`.' },
});
