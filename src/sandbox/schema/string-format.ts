/**
 * The string formats the sandbox checks, loosely following go-openapi `strfmt` as used by kube-apiserver.
 * Unknown formats are accepted, as they are by the apiserver.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC 3339 and the looser ISO 8601 layouts strfmt also accepts (space separator, no seconds, no zone).
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function validDate(year: string | undefined, month: string | undefined, day: string | undefined): boolean {
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return false;
  const daysInMonth = new Date(Date.UTC(Number(year), m, 0)).getUTCDate();
  return d <= daysInMonth;
}

/** Whether `value` satisfies `format`; formats the sandbox does not know always pass. */
export function matchesFormat(format: string, value: string): boolean {
  switch (format) {
    case 'date': {
      const match = DATE.exec(value);
      return match !== null && validDate(match[1], match[2], match[3]);
    }
    case 'date-time': {
      const match = DATE_TIME.exec(value);
      if (match === null || !validDate(match[1], match[2], match[3])) return false;
      return Number(match[4]) < 24 && Number(match[5]) < 60 && Number(match[6] ?? '0') < 61;
    }
    case 'uuid':
      return UUID.test(value);
    default:
      return true;
  }
}
