import { defineErrors } from '../../shared/errors.js';

/** What the approvals API can answer besides the operator API's own codes. */
export const approvalErrors = defineErrors('approvals', {
  approval_not_found: { status: 404, title: 'No such approval request' },
  approval_not_pending: { status: 409, title: 'This request was already decided', hint: 'It was approved, rejected or has expired; nothing was done twice. Reload the list.' },
  approval_expired: { status: 409, title: 'This request has expired', hint: 'Requests wait a day for their second operator; ask again if the action is still needed.' },
  approval_self: { status: 403, title: 'A second operator must approve this', hint: 'You asked for it, so someone else decides; you may still reject (withdraw) it.' },
  approval_role: { status: 403, title: 'Your role may not decide this kind of request' },
  approval_kind_unavailable: { status: 503, title: 'This server cannot perform this kind of request', hint: 'The module that performs it is not running here; try again, or ask the administrators.' },
  approval_bad_cursor: { status: 400, title: 'This cursor does not name a request' },
});
