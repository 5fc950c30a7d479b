import { defineErrors } from '../shared/errors.js';

/** Errors any endpoint can answer, raised by the HTTP layer itself. */
export const httpErrors = defineErrors('http', {
  not_found: { status: 404, title: 'No such resource', hint: 'Check the method and path against /openapi.json.' },
  validation_failed: { status: 400, title: 'The request is not valid', hint: 'The `errors` member lists each field that was refused and why.' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON', hint: 'Send one JSON document; keys such as `__proto__` and `constructor.prototype` are refused.' },
  bad_request: { status: 400, title: 'Bad request' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type', hint: 'Send `Content-Type: application/json`.' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  uri_too_long: { status: 414, title: 'A part of the path is too long' },
  headers_too_large: { status: 431, title: 'The request line or headers are too large' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  not_acceptable: { status: 406, title: 'Not acceptable' },
  too_many_requests: { status: 429, title: 'Too many requests', hint: 'Wait for the number of seconds in `Retry-After`.' },
  service_unavailable: { status: 503, title: 'Service unavailable', hint: 'Retry with back-off.' },
  internal_error: { status: 500, title: 'Internal error', hint: 'Quote the requestId when you contact support.' },
});
