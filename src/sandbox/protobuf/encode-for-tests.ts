/**
 * TEST HELPER ONLY: a tiny protobuf encoder used by the decoder tests to build bodies. Not exported from
 * `index.ts` and not used by the sandbox itself (which only ever decodes).
 *
 * A message is an object from field number to value: strings and Uint8Arrays are length-delimited, numbers,
 * bigints and booleans are varints, nested objects are embedded messages, arrays repeat the field, and
 * `fixed32()` / `fixed64()` produce wire types 5 and 1.
 */

export class Fixed {
  constructor(
    readonly wireType: 1 | 5,
    readonly value: bigint,
  ) {}
}

export const fixed32 = (value: number): Fixed => new Fixed(5, BigInt(value));
export const fixed64 = (value: bigint): Fixed => new Fixed(1, value);

export type FieldValue = string | Uint8Array | number | bigint | boolean | Fixed | Fields | undefined;
export type Fields = { [field: number]: FieldValue | FieldValue[] };

function varint(input: bigint): number[] {
  let n = BigInt.asUintN(64, input);
  const out: number[] = [];
  do {
    const low = Number(n & 0x7fn);
    n >>= 7n;
    out.push(n === 0n ? low : low | 0x80);
  } while (n !== 0n);
  return out;
}

function little(value: bigint, size: number): number[] {
  return Array.from({ length: size }, (_, index) => Number((value >> BigInt(8 * index)) & 0xffn));
}

function encodeField(number: number, value: FieldValue, out: number[]): void {
  const tag = (wireType: number) => varint(BigInt(number * 8 + wireType));
  const delimited = (bytes: Uint8Array) => out.push(...tag(2), ...varint(BigInt(bytes.length)), ...bytes);
  if (value === undefined) return;
  if (typeof value === 'string') delimited(Buffer.from(value, 'utf8'));
  else if (value instanceof Uint8Array) delimited(value);
  else if (value instanceof Fixed)
    out.push(...tag(value.wireType), ...little(value.value, value.wireType === 1 ? 8 : 4));
  else if (typeof value === 'object') delimited(encode(value));
  else out.push(...tag(0), ...varint(BigInt(typeof value === 'boolean' ? Number(value) : value)));
}

export function encode(fields: Fields): Uint8Array {
  const out: number[] = [];
  for (const [key, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) encodeField(Number(key), item, out);
  }
  return Uint8Array.from(out);
}

/** Magic + runtime.Unknown, as kubectl sends it. */
export function envelope(apiVersion: string, kind: string, raw: Fields): Uint8Array {
  const unknown = encode({ 1: { 1: apiVersion, 2: kind }, 2: encode(raw), 3: '', 4: '' });
  return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...unknown]);
}

/** Map entries `{1: key, 2: value}`, one per key. */
export function entries(map: Record<string, string | Uint8Array> | undefined): Fields[] {
  return Object.entries(map ?? {}).map(([key, value]) => ({ 1: key, 2: value }));
}

export type Meta = {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};

/** ObjectMeta as gogo-protobuf writes it: every plain field present, empty or not, and a zero timestamp. */
export function encodeMeta(meta: Meta): Fields {
  return {
    1: meta.name ?? '',
    2: '',
    3: meta.namespace ?? '',
    4: '',
    5: '',
    6: '',
    7: 0,
    8: { 1: 0, 2: 0 },
    11: entries(meta.labels),
    12: entries(meta.annotations),
  };
}
