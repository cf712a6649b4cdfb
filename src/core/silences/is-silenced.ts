/**
 * Whether an alert is silenced: an AegisSilence is in force until `spec.until` and matches an alert by exact
 * type, by fingerprint, or by both (both must hold then). A matcher with neither field matches nothing, so a
 * malformed silence never mutes everything. An operator's own run (`spec.opsRequest`) is never silenced:
 * someone asked for it. The notifier (no chat post) and the alert reconciler (no workflow) call this; the alert
 * itself is still recorded.
 */
import { alertLabelKeys, fingerprintLabelValue } from '../alerts/index.js';
import type { AegisSilence } from '../resources/index.js';

/** The parts of an AegisAlert a silence looks at. */
export interface SilenceableAlert {
  metadata: { labels?: Readonly<Record<string, string>> | undefined };
  spec: { type: string; opsRequest?: unknown };
}

export type SilenceLike = Pick<AegisSilence, 'spec'> & {
  metadata?: { name?: string | undefined; deletionTimestamp?: string | undefined } | undefined;
};

/** True while `now` is before `spec.until` and the silence is not being deleted. */
export function silenceInForce(silence: SilenceLike, now: Date): boolean {
  if (silence.metadata?.deletionTimestamp !== undefined) return false;
  const until = Date.parse(silence.spec.until);
  return Number.isFinite(until) && now.getTime() < until;
}

/** True when the matcher selects the alert (regardless of time). */
export function silenceMatches(silence: SilenceLike, alert: SilenceableAlert): boolean {
  const { type, fingerprint } = silence.spec.matcher;
  if (type === undefined && fingerprint === undefined) return false;
  if (type !== undefined && type !== alert.spec.type) return false;
  if (fingerprint !== undefined) {
    const label = alert.metadata.labels?.[alertLabelKeys.fingerprint];
    if (label === undefined || label !== fingerprintLabelValue(fingerprint)) return false;
  }
  return true;
}

/** The first silence in force that matches the alert, or undefined (always for an ops request). */
export function findSilence<T extends SilenceLike>(
  alert: SilenceableAlert,
  silences: readonly T[],
  now: Date,
): T | undefined {
  if (alert.spec.opsRequest !== undefined) return undefined;
  return silences.find((silence) => silenceInForce(silence, now) && silenceMatches(silence, alert));
}

export function isSilenced(alert: SilenceableAlert, silences: readonly SilenceLike[], now: Date): boolean {
  return findSilence(alert, silences, now) !== undefined;
}
