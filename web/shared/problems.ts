/**
 * What every app's `explain` starts from: a mistake caught before the API is asked (an
 * empty field, an amount out of range) carries its message key, in the app's own table.
 */
export class InputError<Key extends string> extends Error {
  constructor(readonly key: Key) {
    super(key);
  }
}
