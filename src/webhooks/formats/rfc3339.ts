/** RFC 3339 date-times (`2024-05-01T10:00:00Z`, `2024-05-01T12:00:00.123+02:00`), as Go's time.RFC3339 reads them. */

const rfc3339Pattern =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

export function isRfc3339(text: string): boolean {
  return rfc3339Pattern.test(text) && !Number.isNaN(Date.parse(text.replace(/:60(?=[.Zz+-])/, ':59')));
}

/** Go's zero time, which Alertmanager-compatible senders write for "no time". */
export function isGoZeroTime(text: string): boolean {
  return /^0001-01-01[Tt]00:00:00(\.0+)?([Zz]|[+-]00:00)$/.test(text);
}
