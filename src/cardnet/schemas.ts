/** One zod schema per contract of the simulator's API: validation, types and OpenAPI. */
import { z } from 'zod';

const yen = z.number().int().positive().max(10_000_000);
const reference = z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/);

export const tokenRequest = z.object({
  number: z.string().min(12).max(23),
  expMonth: z.number().int().min(1).max(12),
  expYear: z.number().int().min(0).max(2100),
  cvc: z.string().min(3).max(4),
  holderName: z.string().min(1).max(100),
  phone: z.string().min(5).max(20),
}).meta({ examples: [{ number: '4000 0000 0000 2008', expMonth: 12, expYear: 2030, cvc: '123', holderName: 'HANAKO YAMADA', phone: '090-1234-5678' }] });

export const tokenAnswer = z.object({
  token: z.string(), fingerprint: z.string(), last4: z.string(), brand: z.string(),
  expMonth: z.number().int(), expYear: z.number().int(),
}).meta({ examples: [{ token: 'tok_0196a0c4e6f37c3a9d2b5e8f1a2b3c4d', fingerprint: 'fp_Q2F0cyBhcmUgbmljZQ', last4: '2008', brand: 'visa', expMonth: 12, expYear: 2030 }] });

export const authenticationRequest = z.object({
  token: z.string().min(1).max(100),
  amount: yen,
  returnUrl: z.url(),
  challenge: z.enum(['mandate', 'no_preference']).default('no_preference'),
}).meta({ examples: [{ token: 'tok_0196a0c4e6f37c3a9d2b5e8f1a2b3c4d', amount: 5000, returnUrl: 'https://konpay.example/cards/3ds-return', challenge: 'mandate' }] });

export const authenticationAnswer = z.object({
  id: z.string(), token: z.string(), amount: z.number().int(),
  status: z.enum(['authenticated', 'challenge_required', 'failed']),
  challengeUrl: z.string().nullable(),
}).meta({ examples: [{ id: '3ds_0196a0c4e6f37c3a9d2b5e8f1a2b3c4e', token: 'tok_0196a0c4e6f37c3a9d2b5e8f1a2b3c4d', amount: 5000, status: 'challenge_required', challengeUrl: 'http://localhost:3100/cardnet/acs/3ds_0196a0c4e6f37c3a9d2b5e8f1a2b3c4e' }] });

export const authoriseRequest = z.object({
  reference: reference, token: z.string().min(1).max(100), authenticationId: z.string().min(1).max(100), amount: yen,
}).meta({ examples: [{ reference: 'topup_0196a0c4-1', token: 'tok_0196a0c4e6f37c3a9d2b5e8f1a2b3c4d', authenticationId: '3ds_0196a0c4e6f37c3a9d2b5e8f1a2b3c4e', amount: 5000 }] });

export const paymentAnswer = z.object({
  id: z.string(), reference: z.string(), token: z.string(), authenticationId: z.string(),
  amount: z.number().int(), captured: z.number().int(), refunded: z.number().int(),
  status: z.enum(['authorized', 'declined', 'captured', 'voided', 'charged_back']),
  declineCode: z.string().nullable(),
}).meta({ examples: [{ id: 'pi_0196a0c4e6f37c3a9d2b5e8f1a2b3c4f', reference: 'topup_0196a0c4-1', token: 'tok_0196a0c4e6f37c3a9d2b5e8f1a2b3c4d', authenticationId: '3ds_0196a0c4e6f37c3a9d2b5e8f1a2b3c4e', amount: 5000, captured: 0, refunded: 0, status: 'authorized', declineCode: null }] });

export const captureRequest = z.object({ reference, amount: yen.optional() })
  .meta({ examples: [{ reference: 'capture_0196a0c4-1', amount: 5000 }] });
export const voidRequest = z.object({ reference }).meta({ examples: [{ reference: 'void_0196a0c4-1' }] });
export const refundRequest = z.object({ reference, amount: yen }).meta({ examples: [{ reference: 'refund_0196a0c4-1', amount: 2000 }] });

export const paymentParams = z.object({ reference });
export const authenticationParams = z.object({ id: z.string().min(1).max(100) });
export const settlementParams = z.object({ date: z.iso.date() });
