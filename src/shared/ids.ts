/**
 * Identifiers: UUIDv7 in the database (time-ordered, good for B-tree locality and for
 * distributed engines), shown outside with a type prefix (`usr_…`, `msg_…`) so an id
 * pasted into the wrong place is refused instead of silently matching.
 */
import { v7 as uuidv7 } from 'uuid';

export const ID_PREFIXES = ['usr', 'wal', 'txn', 'pay', 'crd', 'req', 'msg', 'dev', 'ses', 'mer', 'sto', 'trm', 'flw', 'evt', 'pks', 'top', 'whe', 'rfd', 'opr', 'cas', 'apr'] as const;
export type IdPrefix = (typeof ID_PREFIXES)[number];
export type PrefixedId<P extends IdPrefix> = `${P}_${string}`;

export function newUuid(): string {
  return uuidv7();
}

export function toPublicId<P extends IdPrefix>(prefix: P, uuid: string): PrefixedId<P> {
  return `${prefix}_${uuid.replace(/-/g, '')}`;
}

const HEX32 = /^[0-9a-f]{32}$/;

/** 32 hex digits in the UUID's usual 8-4-4-4-12 form (the caller checked the shape). */
export function uuidFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Returns the UUID behind a public id, or undefined when the prefix or shape is wrong. */
export function fromPublicId<P extends IdPrefix>(prefix: P, id: string): string | undefined {
  if (!id.startsWith(`${prefix}_`)) return undefined;
  const hex = id.slice(prefix.length + 1);
  if (!HEX32.test(hex)) return undefined;
  return uuidFromHex(hex);
}

export function newPublicId<P extends IdPrefix>(prefix: P): PrefixedId<P> {
  return toPublicId(prefix, newUuid());
}
