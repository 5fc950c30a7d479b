/**
 * The fixed hostile inputs of the fuzz suite: values put into generated bodies, whole raw
 * bodies with their content types, path segments and query strings.
 */
import { RawJson } from './json-text.js';

/** Keys a JSON parser or an object spread could be fooled by. */
export const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];

const long = (n: number, c = 'a') => c.repeat(n);

/** Values of every wrong type and edge for fields: amounts, numbers JSON cannot carry exactly, odd Unicode, long strings. */
export const HOSTILE_VALUES: unknown[] = [
  // amounts and numbers
  0, -1, -1000, 1.5, 0.5, 999.999, 1e-7, -0.0001, 1000.0000001, 49_001, 10_000_001, 1e15, -1e15,
  2 ** 31, 2 ** 32, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE,
  new RawJson('9007199254740993'), new RawJson('-9007199254740993'), new RawJson('9223372036854775807'), new RawJson('9223372036854775808'),
  new RawJson('1e309'), new RawJson('-1e309'), new RawJson('1e-400'), new RawJson('-0'), new RawJson('1.0'), new RawJson('1E3'),
  new RawJson('123456789012345678901234567890123456789'), new RawJson(`1${'0'.repeat(400)}`),
  // strings
  '', ' ', '0', '-1', '1.5', '1e309', 'NaN', 'Infinity', 'null', 'true', 'undefined', '[object Object]',
  '\u0000', 'a\u0000b', '\ud800', '\udc00', 'x\ud83dy', '\u202e\u202dreversed', '\u200f\u200e\u200b', '\ufeff', '\uffff', '\u2028\u2029',
  '😀🇯🇵👨‍👩‍👧‍👦', 'ｺﾝﾍﾟｲ', '\u0301\u0301\u0301', 'İ', 'ß', '\r\n\r\nX-Injected: 1', '\t', '\\', '"', "'; DROP TABLE ledger_transfers; --",
  "' OR '1'='1", '%00', '%ED%A0%80', '../../../../etc/passwd', '${7*7}{{7*7}}', '<script>alert(1)</script>', 'javascript:alert(1)',
  'usr_00000000000000000000000000000000', 'flw_' + '0'.repeat(32), '99' + '0'.repeat(18), 'http://127.0.0.1:5432/', 'file:///etc/passwd',
  long(300), long(1025, 'x'), long(5000, '😀'), long(70_000, 'b'), long(200_000, '\u0000'),
  // other types
  true, false, null, [], {}, [null], [[[]]], [1, 2, 3], { a: 1 }, { amount: 1 }, [long(10)],
];

/** A string of `depth` nested arrays, as raw text: `[[[…]]]`. */
export const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** A string of `depth` nested objects, as raw text: `{"a":{"a":…}}`. */
export const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

export interface RawBody {
  name: string;
  /** Sent to every operation; the others each to a share of the operations (all of them in long runs). */
  core?: boolean;
  /** Absent: no Content-Type header at all. */
  contentType?: string;
  body: string | Buffer;
}

/** Whole bodies sent as they are to operations; `validJson` is a body valid for the operation, if it takes one. */
export function hostileBodies(validJson: string | undefined, bodyLimitBytes: number): RawBody[] {
  const v = validJson ?? '{}';
  const json = 'application/json';
  return [
    { core: true, name: 'invalid JSON: truncated', contentType: json, body: v.slice(0, Math.max(1, v.length - 1)) },
    { core: true, name: 'invalid JSON: trailing garbage', contentType: json, body: `${v}x` },
    { name: 'invalid JSON: single quotes', contentType: json, body: "{'a':1}" },
    { name: 'invalid JSON: NaN', contentType: json, body: '{"amount":NaN}' },
    { name: 'invalid JSON: comment', contentType: json, body: '{/* c */"a":1}' },
    { name: 'invalid JSON: bare word', contentType: json, body: 'undefined' },
    { core: true, name: 'invalid JSON: lone surrogate escape in key', contentType: json, body: '{"\\ud800":1,"\\udfff":"\\ud800"}' },
    { core: true, name: 'invalid UTF-8 bytes', contentType: json, body: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80]), Buffer.from('"}')]) },
    { name: 'UTF-16 BOM body', contentType: json, body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(v, 'utf16le')]) },
    { name: 'UTF-8 BOM body', contentType: json, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(v)]) },
    { core: true, name: 'empty JSON body', contentType: json, body: '' },
    { name: 'whitespace JSON body', contentType: json, body: ' \n\t ' },
    { core: true, name: 'JSON null', contentType: json, body: 'null' },
    { name: 'JSON number', contentType: json, body: '9007199254740993' },
    { core: true, name: 'JSON string', contentType: json, body: '"\\u0000"' },
    { core: true, name: 'JSON array of the valid body', contentType: json, body: `[${v}]` },
    { core: true, name: '__proto__ key', contentType: json, body: '{"__proto__":{"isAdmin":true,"amount":1}}' },
    { core: true, name: 'constructor.prototype key', contentType: json, body: '{"constructor":{"prototype":{"isAdmin":true}}}' },
    { core: true, name: 'duplicate keys', contentType: json, body: v.startsWith('{') && v.length > 2 ? `${v.slice(0, -1)},${v.slice(1)}` : '{"a":1,"a":2}' },
    { core: true, name: '10,000 nested arrays', contentType: json, body: nestedArrays(10_000) },
    { core: true, name: '10,000 nested objects', contentType: json, body: nestedObjects(10_000) },
    { core: true, name: 'deep nesting inside the valid body', contentType: json, body: v.startsWith('{') && v.length > 2 ? `{"zz":${nestedArrays(10_000)},${v.slice(1)}` : nestedArrays(10_000) },
    { core: true, name: `over BODY_LIMIT_BYTES (${bodyLimitBytes + 1} bytes)`, contentType: json, body: `{"a":"${'x'.repeat(bodyLimitBytes - 7)}"}` },
    { name: '5,000 unknown keys', contentType: json, body: manyKeys(Math.min(bodyLimitBytes - 64, 60_000)) },
    { core: true, name: 'text/plain with JSON', contentType: 'text/plain', body: v },
    { name: 'text/plain; charset=utf-8 with JSON', contentType: 'text/plain; charset=utf-8', body: v },
    { core: true, name: 'form-urlencoded', contentType: 'application/x-www-form-urlencoded', body: 'amount=1&code=1&__proto__[x]=1&token=a' },
    { name: 'multipart', contentType: 'multipart/form-data; boundary=xyz', body: '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--\r\n' },
    { core: true, name: 'no content type with a body', body: v },
    { name: 'JSON with a wrong charset', contentType: 'application/json; charset=utf-16', body: v },
    { name: 'JSON with a junk parameter', contentType: 'application/json; x=";"', body: v },
    { name: 'application/json-seq', contentType: 'application/json-seq', body: `\u001e${v}\n` },
    { name: 'vendor +json type', contentType: 'application/problem+json', body: v },
    { name: 'XML', contentType: 'application/xml', body: '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>' },
    { name: 'octet-stream', contentType: 'application/octet-stream', body: Buffer.from([0, 1, 2, 255]) },
    { name: 'garbage content type', contentType: ';;;===', body: v },
  ];
}

function manyKeys(bytes: number): string {
  const parts: string[] = [];
  let n = 2;
  for (let i = 0; n < bytes - 20; i++) {
    const p = `"k${i}":${i}`;
    parts.push(p);
    n += p.length + 1;
  }
  return `{${parts.join(',')}}`;
}

/** Path segments sent in place of a parameter, already percent-encoded as they go on the wire. */
export const HOSTILE_PATH_SEGMENTS: string[] = [
  '%', '%zz', '%ED%A0%80', '%ED%B0%80', '%C0%AF', '%FF%FE', '%00', 'a%00b', '%0d%0aX-Injected:%201', '..', '%2e%2e', '..%2f..%2fetc%2fpasswd',
  '%2F', 'a%2Fb', '%5C', '%20', '%E2%80%AE%E2%80%8Fabc', '%F0%9F%98%80', encodeURIComponent('ｺﾝﾍﾟｲ'), '-1', '0', '1.5', '1e309', '9007199254740993',
  'NaN', 'null', 'undefined', '__proto__', 'constructor', 'prototype', '%27%20OR%20%271%27%3D%271', 'usr_00000000000000000000000000000000',
  'pay_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', 'flw_' + '0'.repeat(32), 'flw_' + 'f'.repeat(33), '2026-02-30', '9999-99-99', '0000-00-00', '2026-1-1',
  'a'.repeat(41), 'a'.repeat(65), 'a'.repeat(2000), 'a'.repeat(50_000),
];

/** Path segments every path parameter gets (the generator draws from all of HOSTILE_PATH_SEGMENTS). */
export const CORE_PATH_SEGMENTS: string[] = [
  '%', '%ED%A0%80', '%00', '..', '%2F', '%E2%80%AE%E2%80%8Fabc', '%F0%9F%98%80', '-1', '1.5', '9007199254740993', '__proto__',
  'a'.repeat(65), 'a'.repeat(50_000),
];
/** Path segments each path parameter of a share of the operations gets (all of them in long runs). */
export const EXTRA_PATH_SEGMENTS: string[] = [
  '%C0%AF', 'a%00b', '%0d%0aX-Injected:%201', '%2e%2e', '%20', 'null', 'constructor', '%27%20OR%20%271%27%3D%271',
  'pay_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', 'flw_' + 'f'.repeat(33), '2026-02-30', 'a'.repeat(2000),
];

/** Whole query strings (without `?`) added to every operation's path. */
export const HOSTILE_QUERIES: string[] = [
  '%', '%zz=1', 'a=%ED%A0%80', 'limit=-1', 'limit=0', 'limit=1.5', 'limit=1e309', 'limit=9007199254740993', 'limit=abc', 'limit=',
  'limit=1&limit=2', 'limit[]=1', 'limit[a]=1', '__proto__[x]=1', 'constructor[prototype][x]=1', 'toString=1', 'format=csv&format=json',
  'from=2026-02-30T00:00:00Z', 'from=9999-12-31T23:59:59Z&to=0000-01-01T00:00:00Z', 'kind=' + 'a,'.repeat(200), 'cursor=%00', 'cursor=' + 'x'.repeat(5000),
  'orderId=', 'orderId=%00', 'orderId=' + 'A'.repeat(65), 'token=' + 'a'.repeat(300), 'to=%0d%0a', 'channel=fax', 'store=' + 'b'.repeat(41),
  '&&&&', '=', '==&=', 'a=1;b=2', '?a=1', 'x=' + 'y'.repeat(100_000),
];
