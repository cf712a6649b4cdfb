/** Ids shared by the approval buttons (rendered here and by the outbound notifier) and their listeners. */
import { approveActionId, rejectActionId } from '../../render/index.js';

export const approvalActionIds = { approve: approveActionId, reject: rejectActionId } as const;
export const rejectModalCallbackId = 'aegis_reject_modal';
export const rejectReasonBlockId = 'reason';
export const rejectReasonActionId = 'reason_input';
export const appHomeRefreshActionId = 'aegis_home_refresh';

/** A button value: `<namespace>/<name>` of the AegisAlert. */
export function approvalButtonValue(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** The alert a button value names; undefined for anything else. */
export function parseApprovalButtonValue(
  value: string | undefined,
): { namespace: string; name: string } | undefined {
  const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(value ?? '');
  if (match === null) return undefined;
  return { namespace: match[1] ?? '', name: match[3] ?? '' };
}
