/** Small readers over collected facts shared by the analyzers. */
import type { ObjectEvent } from './diagnosis-facts.js';
import type { StatusCondition } from './kube-shapes.js';

export function conditionOf(
  conditions: readonly StatusCondition[] | undefined,
  type: string,
): StatusCondition | undefined {
  return conditions?.find((condition) => condition.type === type);
}

/** `Ready=False (KubeletNotReady): PLEG is not healthy`. */
export function describeCondition(condition: StatusCondition): string {
  const reason = condition.reason === undefined || condition.reason === '' ? '' : ` (${condition.reason})`;
  const message = condition.message === undefined || condition.message === '' ? '' : `: ${condition.message}`;
  return `condition ${condition.type ?? '?'}=${condition.status ?? '?'}${reason}${message}`;
}

/** `Warning BackOff ×12 (2024-…): Back-off restarting failed container`. */
export function describeEvent(event: ObjectEvent): string {
  const count = event.count > 1 ? ` ×${event.count}` : '';
  const when = event.lastSeen === undefined ? '' : ` at ${event.lastSeen}`;
  return `event ${event.type} ${event.reason}${count}${when}: ${event.message}`;
}

/** The most recent events first. */
export function latestFirst(events: readonly ObjectEvent[]): ObjectEvent[] {
  return [...events].sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
}

export function eventsWithReason(events: readonly ObjectEvent[], ...reasons: string[]): ObjectEvent[] {
  return latestFirst(events.filter((event) => reasons.includes(event.reason)));
}

export function includesAny(text: string, needles: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return needles.some((needle) => lower.includes(needle.toLowerCase()));
}

/** Parse a Kubernetes quantity of whole units (GPU counts, pods); undefined when not a plain integer. */
export function wholeQuantity(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
