/**
 * Upstream's fingerprint rule for alerts that carry none (pkg/ai/alert_parser.go `generateFingerprint`):
 * sha256 hex of the concatenation, over the detail keys in sorted order, of `key + value + ":"`, skipping empty
 * values, truncated to 63 characters (so it fits a label value).
 */
import { createHash } from 'node:crypto';
import { AegisError } from '../errors.js';

/**
 * Orders strings as Go's `sort.Strings` does (by UTF-8 bytes), which is the order of Unicode code points.
 * JavaScript's default sort compares UTF-16 code units and differs for characters above U+FFFF: their
 * surrogates (U+D800-DFFF) sort before U+E000-FFFF. Shifting the units fixes that without decoding.
 */
export function compareByCodePoint(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index += 1) {
    const a = left.charCodeAt(index);
    const b = right.charCodeAt(index);
    if (a !== b) return codePointRank(a) - codePointRank(b);
  }
  return left.length - right.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** The fingerprint of an alert from its details; throws `ALERT_DETAILS_EMPTY` when there is nothing to hash. */
export function detailsFingerprint(details: Readonly<Record<string, string>>): string {
  const keys = Object.keys(details).sort(compareByCodePoint);
  if (keys.length === 0) {
    throw new AegisError('ALERT_DETAILS_EMPTY', 'alert details are empty, cannot compute a fingerprint');
  }
  let data = '';
  for (const key of keys) {
    const value = details[key] ?? '';
    if (value === '') continue;
    data += `${key}${value}:`;
  }
  if (data === '') {
    throw new AegisError('ALERT_DETAILS_EMPTY', 'every alert detail is empty, cannot compute a fingerprint');
  }
  return createHash('sha256').update(data, 'utf8').digest('hex').slice(0, 63);
}

/**
 * The fingerprint of an alert that has neither a fingerprint nor details: its type and the object it is about
 * (`obj-` and 16 hex digits of sha256 over type, kind, namespace and name). The CLI (`aegis alert send`) and
 * `POST /default/alert` derive it alike, so the same alert sent either way is one AegisAlert.
 */
export function objectFingerprint(alert: {
  type: string;
  kind: string;
  name: string;
  namespace?: string | undefined;
}): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([alert.type, alert.kind, alert.namespace ?? '', alert.name]))
    .digest('hex');
  return `obj-${digest.slice(0, 16)}`;
}
