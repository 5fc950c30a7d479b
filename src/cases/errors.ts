import { defineErrors } from '../shared/errors.js';

/** What the case and claim routes answer with (RISK-2, OPS-3). */
export const caseErrors = defineErrors('cases', {
  case_not_found: { status: 404, title: 'No such case', hint: 'Check the `cas_…` id; the queue lists every case.' },
  case_already_decided: { status: 409, title: 'The case is already decided', hint: 'A case is decided once; the answer names its status. Reload it.' },
  case_approval_pending: { status: 409, title: 'The compensation is waiting for a second operator', hint: 'Another operator must approve it in the approvals queue; it cannot be requested twice.' },
  case_decision_invalid: { status: 400, title: 'This decision does not fit the case', hint: '`closed` is only for risk flags (nothing held); approve or reject the others.' },
  compensation_amount_invalid: { status: 400, title: 'The compensation must be between ¥1 and the disputed total', hint: 'Leave `amount` out to pay the whole disputed total.' },
  claim_movement_invalid: {
    status: 400, title: 'A movement cannot be claimed',
    hint: 'Claim only your own payments and top-ups out of your wallet history (`txn_…` ids), each once; the answer\'s `movementIds` names the ones refused.',
  },
  claim_movement_already_claimed: { status: 409, title: 'A movement is already in a claim', hint: 'Each movement can be reported once; the answer\'s `movementIds` names them. Contact support about an earlier report.' },
});
