/** Plain facts about an AegisAlert, shared by the command replies and App Home. */
import type { AegisAlert } from '../../../core/resources/index.js';

export function alertRef(alert: AegisAlert): string {
  return `${alert.metadata.namespace ?? ''}/${alert.metadata.name ?? ''}`;
}

/** Firing (as last delivered) and not finished. */
export function alertIsOpen(alert: AegisAlert): boolean {
  return (alert.status?.status ?? alert.spec.status) === 'Firing';
}

export function awaitingApproval(alert: AegisAlert): boolean {
  return alert.status?.approval?.state === 'Pending';
}

export function alertObject(alert: AegisAlert): string {
  const object = alert.spec.involvedObject;
  if (object?.name === undefined) return '';
  const kind = object.kind === undefined ? '' : `${object.kind} `;
  const namespace = object.namespace === undefined ? '' : `${object.namespace}/`;
  return `${kind}${namespace}${object.name}`;
}

/** The one-word state people care about: AwaitingApproval, Running, Succeeded, Resolved, Firing, ... */
export function alertState(alert: AegisAlert): string {
  const status = alert.status;
  if (status?.approval?.state === 'Pending') return 'AwaitingApproval';
  const ops = status?.opsStatus?.alertOpsStatus;
  if (ops !== undefined) return ops;
  const trigger = status?.opsStatus?.triggerStatus;
  if (trigger !== undefined && trigger !== 'Triggered') return trigger;
  return status?.status ?? alert.spec.status;
}

/** Whether `wanted` names any of the alert's states (status, trigger, ops, approval), case-insensitively. */
export function alertHasStatus(alert: AegisAlert, wanted: string): boolean {
  const status = alert.status;
  const candidates = [
    alertState(alert),
    status?.status ?? alert.spec.status,
    status?.opsStatus?.triggerStatus,
    status?.opsStatus?.alertOpsStatus,
    status?.approval?.state,
  ];
  return candidates.some((candidate) => candidate?.toLowerCase() === wanted.toLowerCase());
}

export function alertStart(alert: AegisAlert): string | undefined {
  return alert.status?.startTime ?? alert.metadata.creationTimestamp;
}

/** Newest first by start time, then by name, so replies are stable. */
export function byNewest(left: AegisAlert, right: AegisAlert): number {
  const difference = Date.parse(alertStart(right) ?? '') - Date.parse(alertStart(left) ?? '');
  if (Number.isFinite(difference) && difference !== 0) return difference;
  return (left.metadata.name ?? '').localeCompare(right.metadata.name ?? '');
}
