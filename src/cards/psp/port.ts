/**
 * What Konpay needs from a card network (PSP + 3-D Secure ACS). The simulator's client
 * implements it over HTTP; a real PSP's adapter would too. Expected outcomes are values:
 * a lost answer is `timeout` (the operation may have happened: reconcile with
 * `getPayment`), never an exception.
 */
export type PspPaymentStatus = 'authorized' | 'declined' | 'captured' | 'voided' | 'charged_back';

export interface PspPayment {
  id: string;
  reference: string;
  amount: number;
  captured: number;
  refunded: number;
  status: PspPaymentStatus;
  declineCode: string | null;
}

/** What the network tells the merchant about a tokenised card: never the number. */
export interface PspCard {
  token: string;
  fingerprint: string;
  last4: string;
  brand: string;
  expMonth: number;
  expYear: number;
}

export interface PspAuthentication {
  id: string;
  status: 'authenticated' | 'challenge_required' | 'failed';
  challengeUrl: string | null;
}

export type PspResult<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'refused'; code: string; status: number }
  | { kind: 'timeout' }
  | { kind: 'unavailable' };

export interface CardNetwork {
  /** The card behind a token, read server-side: the browser's copy is not trusted. */
  getCard(token: string): Promise<PspResult<PspCard>>;
  startAuthentication(input: { token: string; amount: number; returnUrl: string }): Promise<PspResult<PspAuthentication>>;
  getAuthentication(id: string): Promise<PspResult<PspAuthentication>>;
  authorise(input: { reference: string; token: string; authenticationId: string; amount: number }): Promise<PspResult<PspPayment>>;
  /** Reads a payment by the reference Konpay gave it: how a timed-out call is reconciled. */
  getPayment(reference: string): Promise<PspResult<PspPayment>>;
  capture(paymentReference: string, input: { reference: string; amount?: number }): Promise<PspResult<PspPayment>>;
  void(paymentReference: string, input: { reference: string }): Promise<PspResult<PspPayment>>;
  refund(paymentReference: string, input: { reference: string; amount: number }): Promise<PspResult<PspPayment>>;
}
