/**
 * A minimal protobuf wire-format reader: splits a message into fields and reads them by number. Only what the
 * Kubernetes types need: varints (0), 64-bit (1, skipped), length-delimited (2) and 32-bit (5, skipped).
 */

/** A body that is not valid Kubernetes protobuf, or holds something the sandbox cannot decode. */
export class ProtobufDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

type WireField =
  | { number: number; wireType: 0; value: bigint }
  | { number: number; wireType: 2; value: Uint8Array }
  | { number: number; wireType: 1 | 5 };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function splitFields(bytes: Uint8Array, name: string): WireField[] {
  const fields: WireField[] = [];
  let offset = 0;
  const truncated = (what: string): ProtobufDecodeError =>
    new ProtobufDecodeError(`truncated protobuf in ${name}: ${what} at byte ${offset} of ${bytes.length}`);
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = bytes[offset];
      if (byte === undefined) throw truncated('the input ends inside a varint');
      offset += 1;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new ProtobufDecodeError(
      `invalid protobuf in ${name}: a varint longer than 10 bytes ends at byte ${offset}`,
    );
  };
  const skip = (count: number, what: string): void => {
    if (offset + count > bytes.length) throw truncated(`${what} needs ${count} bytes`);
    offset += count;
  };
  while (offset < bytes.length) {
    const tagOffset = offset;
    const tag = varint();
    const number = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (number === 0)
      throw new ProtobufDecodeError(`invalid protobuf in ${name}: field number 0 at byte ${tagOffset}`);
    const label = `field ${number}`;
    if (wireType === 0) {
      fields.push({ number, wireType, value: varint() });
    } else if (wireType === 2) {
      const length = varint();
      if (length > BigInt(bytes.length - offset)) throw truncated(`${label} declares ${length} bytes`);
      const start = offset;
      skip(Number(length), label);
      fields.push({ number, wireType, value: bytes.subarray(start, offset) });
    } else if (wireType === 1 || wireType === 5) {
      skip(wireType === 1 ? 8 : 4, label);
      fields.push({ number, wireType });
    } else {
      throw new ProtobufDecodeError(
        `unsupported protobuf wire type ${wireType} for ${label} of ${name} at byte ${tagOffset}`,
      );
    }
  }
  return fields;
}

/** One decoded message; accessors take field numbers. Scalars are last-one-wins, sub-messages merge. */
export class WireMessage {
  private constructor(
    readonly name: string,
    private readonly fields: readonly WireField[],
  ) {}

  static decode(bytes: Uint8Array, name: string): WireMessage {
    return new WireMessage(name, splitFields(bytes, name));
  }

  /** All length-delimited values of field `number`. */
  private chunks(number: number, expected: string): Uint8Array[] {
    return this.fields
      .filter((field) => field.number === number)
      .map((field) => {
        if (field.wireType !== 2) throw this.wrongType(number, field.wireType, expected);
        return field.value;
      });
  }

  private varints(number: number, expected: string): bigint[] {
    return this.fields
      .filter((field) => field.number === number)
      .map((field) => {
        if (field.wireType !== 0) throw this.wrongType(number, field.wireType, expected);
        return field.value;
      });
  }

  private wrongType(number: number, wireType: number, expected: string): ProtobufDecodeError {
    return new ProtobufDecodeError(
      `invalid protobuf in ${this.name}: field ${number} should be ${expected} but has wire type ${wireType}`,
    );
  }

  private text(bytes: Uint8Array, number: number): string {
    try {
      return utf8.decode(bytes);
    } catch {
      throw new ProtobufDecodeError(`invalid protobuf in ${this.name}: field ${number} is not valid UTF-8`);
    }
  }

  bytes(number: number): Uint8Array | undefined {
    return this.chunks(number, 'bytes').at(-1);
  }

  string(number: number): string | undefined {
    const bytes = this.chunks(number, 'a string').at(-1);
    return bytes === undefined ? undefined : this.text(bytes, number);
  }

  strings(number: number): string[] {
    return this.chunks(number, 'a string').map((bytes) => this.text(bytes, number));
  }

  /** A signed 64-bit integer (int64 / int32), as a JavaScript number. */
  int(number: number): number | undefined {
    const value = this.varints(number, 'a varint').at(-1);
    return value === undefined ? undefined : Number(BigInt.asIntN(64, value));
  }

  bool(number: number): boolean | undefined {
    const value = this.varints(number, 'a bool').at(-1);
    return value === undefined ? undefined : value !== 0n;
  }

  /** An embedded message; repeated occurrences are merged as protobuf requires. */
  message(number: number, label: string): WireMessage | undefined {
    const chunks = this.chunks(number, 'a message');
    if (chunks.length === 0) return undefined;
    const name = `${this.name}.${label}`;
    return new WireMessage(
      name,
      chunks.flatMap((chunk) => splitFields(chunk, name)),
    );
  }

  messages(number: number, label: string): WireMessage[] {
    return this.chunks(number, 'a message').map((chunk, index) =>
      WireMessage.decode(chunk, `${this.name}.${label}[${index}]`),
    );
  }

  /** A `map<string, string>` (entries `{1: key, 2: value}`). Undefined when the field is absent. */
  stringMap(number: number, label: string): Record<string, string> | undefined {
    return this.map(number, label, (entry) => entry.string(2) ?? '');
  }

  /** A `map<string, bytes>`, with values base64-encoded as in the JSON form. */
  bytesMap(number: number, label: string): Record<string, string> | undefined {
    return this.map(number, label, (entry) => Buffer.from(entry.bytes(2) ?? []).toString('base64'));
  }

  private map(
    number: number,
    label: string,
    value: (entry: WireMessage) => string,
  ): Record<string, string> | undefined {
    const entries = this.messages(number, label);
    if (entries.length === 0) return undefined;
    const result: Record<string, string> = {};
    for (const entry of entries) {
      Object.defineProperty(result, entry.string(1) ?? '', {
        value: value(entry),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  }
}
