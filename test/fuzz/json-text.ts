/** JSON text with fragments `JSON.stringify` cannot write. */

/** A JSON text fragment written as-is: numbers `JSON.stringify` cannot write (9007199254740993, 1e309). */
export class RawJson {
  constructor(readonly text: string) {}
  toString(): string {
    return `RawJson(${this.text.length > 60 ? `${this.text.slice(0, 60)}…` : this.text})`;
  }
}

/** JSON text of a value that may hold `RawJson` fragments and own `__proto__` keys. */
export function toJsonText(v: unknown): string {
  if (v instanceof RawJson) return v.text;
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${toJsonText((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  if (v === undefined) return 'null';
  return JSON.stringify(v);
}
