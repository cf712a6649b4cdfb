/**
 * The approval record: the request's policy, expiry and decisions, kept by the controller on the suspended
 * Workflow it created for the request (annotation `aegis.io/approval`), where approvers cannot write (they have
 * no RBAC on workflows). `status.approval` on the AegisAlert is only its mirror for people: nothing the
 * controller does is decided from the status (see docs/decisions/0011-approval-on-suspended-workflow.md).
 */
import { alertApprovalSchema, type AlertApproval } from '../resources/index.js';

/** The record as stored: the approval without the rendered manifest (the Workflow itself is what runs). */
export type ApprovalRecord = Omit<AlertApproval, 'renderedManifest'>;

export function approvalRecordOf(approval: AlertApproval): ApprovalRecord {
  const { renderedManifest: _left, ...record } = approval;
  return record;
}

export function serialiseApprovalRecord(record: ApprovalRecord): string {
  return JSON.stringify(approvalRecordOf(record));
}

/** The record in an annotation's text; undefined when the text is not a valid record. */
export function parseApprovalRecord(text: string | undefined): ApprovalRecord | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = alertApprovalSchema.safeParse(value);
  return parsed.success ? approvalRecordOf(parsed.data) : undefined;
}
