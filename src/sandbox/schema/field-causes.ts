import type { FieldCause } from '../types.js';

/**
 * Constructors for field causes that render like k8s.io/apimachinery `field.Error`: the reason is the
 * `metav1.CauseType`, the message is `ErrorBody()` (`<type>: <value>: <detail>`).
 */

/** How `field.Error` prints a bad value: strings quoted, numbers and booleans bare, null as "null", others as JSON. */
export function formatBadValue(value: unknown): string {
  if (value === null || value === undefined) return '"null"';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function withDetail(head: string, detail: string): string {
  return detail === '' ? head : `${head}: ${detail}`;
}

export function requiredCause(field: string, detail = ''): FieldCause {
  return { reason: 'FieldValueRequired', field, message: withDetail('Required value', detail) };
}

export function invalidCause(field: string, value: unknown, detail: string): FieldCause {
  return {
    reason: 'FieldValueInvalid',
    field,
    message: withDetail(`Invalid value: ${formatBadValue(value)}`, detail),
  };
}

export function typeInvalidCause(field: string, value: unknown, detail: string): FieldCause {
  return {
    reason: 'FieldValueTypeInvalid',
    field,
    message: withDetail(`Invalid value: ${formatBadValue(value)}`, detail),
  };
}

/** `supported` is printed in the given order, each value quoted (non-strings as their JSON first). */
export function notSupportedCause(field: string, value: unknown, supported: readonly unknown[]): FieldCause {
  const quoted = supported.map((entry) =>
    JSON.stringify(typeof entry === 'string' ? entry : JSON.stringify(entry)),
  );
  const detail = quoted.length === 0 ? '' : `supported values: ${quoted.join(', ')}`;
  return {
    reason: 'FieldValueNotSupported',
    field,
    message: withDetail(`Unsupported value: ${formatBadValue(value)}`, detail),
  };
}

export function forbiddenCause(field: string, detail: string): FieldCause {
  return { reason: 'FieldValueForbidden', field, message: withDetail('Forbidden', detail) };
}

/** `field.TooLong` omits the value. */
export function tooLongCause(field: string, maxLength: number): FieldCause {
  const unit = maxLength === 1 ? 'byte' : 'bytes';
  return {
    reason: 'FieldValueTooLong',
    field,
    message: `Too long: may not be more than ${maxLength} ${unit}`,
  };
}

export function tooManyCause(field: string, actual: number, maxItems: number): FieldCause {
  const unit = maxItems === 1 ? 'item' : 'items';
  return {
    reason: 'FieldValueTooMany',
    field,
    message: `Too many: ${actual}: must have at most ${maxItems} ${unit}`,
  };
}

/** Orders causes like `ValidateStructural` does: by the full `<field>: <message>` text. */
export function sortCauses(causes: FieldCause[]): FieldCause[] {
  const text = (cause: FieldCause): string => `${cause.field}: ${cause.message}`;
  return [...causes].sort((left, right) =>
    text(left) < text(right) ? -1 : text(left) > text(right) ? 1 : 0,
  );
}
