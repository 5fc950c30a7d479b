/**
 * The API's contract types, inferred from the zod schemas that validate and document each
 * endpoint. Type-only imports: the front ends bundle none of the server's code, yet a
 * changed response shape fails `npm run typecheck` here rather than in a customer's hands.
 */
import type { z } from 'zod';
import type { problemSchema } from '../../src/http/problem.js';
import type {
  flowStarted, loginBody, loginVerifyBody, meSchema, secondFactorRequired, sessionIssued, signupBody, signupPending, signupVerifyBody,
} from '../../src/identity/schemas.js';
import type { paymentCode, unlocked } from '../../src/codes/schemas.js';
import type { historySchema, walletSchema } from '../../src/wallet/schemas.js';
import type { cardFormAnswer, cardSchema, nextActionSchema } from '../../src/cards/views.js';
import type { topupSchema } from '../../src/topups/views.js';

export type Problem = z.infer<typeof problemSchema>;
export type SignupBody = z.input<typeof signupBody>;
export type FlowStarted = z.infer<typeof flowStarted>;
export type SignupVerifyBody = z.input<typeof signupVerifyBody>;
export type SignupPending = z.infer<typeof signupPending>;
export type SessionIssued = z.infer<typeof sessionIssued>;
export type LoginBody = z.input<typeof loginBody>;
export type LoginVerifyBody = z.input<typeof loginVerifyBody>;
export type SecondFactorRequired = z.infer<typeof secondFactorRequired>;
export type Me = z.infer<typeof meSchema>;
export type Wallet = z.infer<typeof walletSchema>;
export type History = z.infer<typeof historySchema>;
export type Movement = History['movements'][number];
export type PaymentCode = z.infer<typeof paymentCode>;
export type Unlocked = z.infer<typeof unlocked>;
export type Card = z.infer<typeof cardSchema>;
export type CardAdded = { card: Card; nextAction: z.infer<typeof nextActionSchema> };
export type CardForm = z.infer<typeof cardFormAnswer>;
export type Topup = z.infer<typeof topupSchema>;
