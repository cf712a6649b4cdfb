/** Go `time.Duration` strings (`30m`, `1h30m`, `90s`, `1.5h`), as rule timeouts are written. */

const unitMs: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

const part = /([0-9]+(?:\.[0-9]+)?)(ns|us|ms|s|m|h)/g;
const whole = /^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/;

/** Milliseconds of a duration such as `1h30m`; undefined when the text is not one. */
export function parseDurationMs(text: string): number | undefined {
  if (!whole.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(part)) {
    total += Number(match[1]) * (unitMs[match[2] ?? ''] ?? 0);
  }
  return total;
}

/** `time` plus `duration`; throws on a duration the CRD schema would not have admitted. */
export function addDuration(time: Date, duration: string): Date {
  const ms = parseDurationMs(duration);
  if (ms === undefined) throw new RangeError(`not a duration: "${duration}" (use e.g. 30m or 1h30m)`);
  return new Date(time.getTime() + Math.round(ms));
}
