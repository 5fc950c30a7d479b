import { defineErrors } from '../../shared/errors.js';

/**
 * What the operator API (`/ops/v1`) can answer besides the HTTP layer's own codes.
 * 401 says only that the credential did not prove an operator, never whether a token
 * was close, so a guesser learns nothing from the refusals.
 */
export const operatorErrors = defineErrors('ops', {
  operator_unauthorized: { status: 401, title: 'This request needs an operator credential', hint: 'Machines send `Authorization: Bearer <OPERATOR_API_TOKEN>`; people sign in to the console (`POST /ops/v1/session`). A console session ends after 30 idle minutes or 12 hours.' },
  merchant_not_found: { status: 404, title: 'No such merchant' },
  store_not_found: { status: 404, title: 'No such store' },
  terminal_not_found: { status: 404, title: 'No such terminal' },
  terminal_revoked: { status: 409, title: 'This terminal is revoked', hint: 'Revocation is final: register a new terminal.' },
});

export type OperatorErrorCode = keyof typeof operatorErrors.codes;
