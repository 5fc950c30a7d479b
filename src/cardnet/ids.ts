/**
 * The simulator's public ids. A real PSP's ids are its own, so these do not use Konpay's
 * closed prefix list: `tok_` card tokens, `3ds_` authentications, `pi_` payments.
 */
import { v7 as uuidv7 } from 'uuid';
import { uuidFromHex } from '../shared/ids.js';

export type CardnetPrefix = 'tok' | '3ds' | 'pi';

export const newCardnetUuid = (): string => uuidv7();

export const toCardnetId = (prefix: CardnetPrefix, uuid: string): string => `${prefix}_${uuid.replace(/-/g, '')}`;

/** The UUID behind an id, or undefined when the prefix or shape is wrong (so a token is never taken for a payment). */
export function fromCardnetId(prefix: CardnetPrefix, id: string): string | undefined {
  const hex = id.startsWith(`${prefix}_`) ? id.slice(prefix.length + 1) : '';
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
  return uuidFromHex(hex);
}
