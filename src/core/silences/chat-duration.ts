/**
 * Durations as people type them in chat: `30m`, `2h`, `1d`, `1w`, `90s`, or combined (`1h30m`, `1d12h`).
 * Units: s, m, h, d (24 h), w (7 d). No fractions; at least one second.
 */
const unitMs: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const whole = /^(?:[0-9]+[smhdw])+$/;
const part = /([0-9]+)([smhdw])/g;

/** Milliseconds of a chat duration; undefined when the text is not one (or is zero). */
export function parseChatDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!whole.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(part)) total += Number(match[1]) * (unitMs[match[2] ?? ''] ?? 0);
  return total > 0 && Number.isSafeInteger(total) ? total : undefined;
}

/** A short human form of a duration in milliseconds: `45s`, `30m`, `2h`, `1d 4h`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}
