/**
 * App PIN rules. A PIN only unlocks a device that already holds a signed device
 * credential and a live session, and five wrong tries disable it, so 4–6 digits are
 * enough, provided the PIN is not one of the handful everyone tries first: one digit
 * repeated (0000, 111111) or a straight run up or down (1234, 654321, 7890). Those are
 * refused, since with five guesses an attacker would try exactly them.
 */
export const PIN_PATTERN = /^\d{4,6}$/;
export const PIN_MAX_FAILURES = 5;

/** Runs on a phone keypad wrap around (…8, 9, 0), so 7890 and 0987 count too. */
const ASCENDING = '01234567890';
const DESCENDING = '09876543210';

export function isWeakPin(pin: string): boolean {
  if (/^(\d)\1+$/.test(pin)) return true;
  return ASCENDING.includes(pin) || DESCENDING.includes(pin);
}
