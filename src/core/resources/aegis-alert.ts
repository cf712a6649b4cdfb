/**
 * AegisAlert: one alert from monitoring, its repeat count, the ops workflow it triggered, the approval it waits
 * for and the chat message that tracks it. Upstream wrote `spec.detials` (sic); both spellings are accepted.
 */
import { z } from 'zod';
import {
  aegisApiVersion,
  conditions,
  int32,
  labelSelectorSchema,
  objectMetaSchema,
  observedGeneration,
  timestamp,
} from './kube-meta.js';

export const alertStatusValues = ['Firing', 'Resolved'] as const;
export const alertOpsStatusValues = ['Pending', 'Running', 'Failed', 'Succeeded'] as const;
export const triggerStatusValues = [
  'RuleNotFound',
  'RuleErrorFound',
  'TooManyRulesFound',
  'TooManyRuletFound',
  'TemplateNotFound',
  'TemplateInvalid',
  'TemplateUnsafe',
  'AwaitingApproval',
  'Rejected',
  'TriggerFailed',
  'Triggered',
] as const;
export const approvalStateValues = ['Pending', 'Approved', 'Rejected', 'Expired', 'Cancelled'] as const;
export const approvalDecisionValues = ['Approved', 'Rejected', 'Expired', 'Cancelled'] as const;
/** Through which channel a decision was made; `controller` is Aegis itself (expiry, cancellation). */
export const approvalChannelValues = ['slack', 'cli', 'kubectl', 'api', 'controller'] as const;
/** `spec.source` of an operator-initiated run (an ops request), as opposed to an alert from monitoring. */
export const opsRequestSource = 'OpsRequest';

const detailsMap = z.record(z.string(), z.string());

export const alertInvolvedObjectSchema = z.object({
  kind: z.string().optional().describe('Kind of the object the alert is about, e.g. Node or Pod.'),
  name: z.string().optional().describe('Name of the object the alert is about.'),
  namespace: z.string().optional().describe('Namespace of the object (namespaced kinds such as Pod).'),
  node: z.string().optional().describe('Node the object runs on (the node itself for kind Node).'),
});

export const alertTtlStrategySchema = z.object({
  secondsAfterCompletion: int32()
    .min(0)
    .optional()
    .describe('Delete the alert this long after ops finished.'),
  secondsAfterSuccess: int32().min(0).optional().describe('Delete the alert this long after ops succeeded.'),
  secondsAfterFailure: int32().min(0).optional().describe('Delete the alert this long after ops failed.'),
  secondsAfterNoOps: int32()
    .min(0)
    .optional()
    .describe('Delete the alert this long after it started when no ops workflow could be created.'),
});

export const opsRequestTemplateSchema = z.object({
  namespace: z.string().min(1).describe('Namespace of the AegisOpsTemplate.'),
  name: z.string().min(1).describe('Name of the AegisOpsTemplate.'),
});

export const opsRequestSchema = z.object({
  template: opsRequestTemplateSchema.describe('The AegisOpsTemplate to run.'),
  parameters: z
    .record(z.string(), z.string())
    .optional()
    .describe('Template variables, exactly these (e.g. node: gpu-node-1); no alert variables.'),
  requestedBy: z.string().min(1).describe('Who asked for the run: a chat user id or a user name.'),
  reason: z.string().optional().describe('Why the run was requested, shown to the approvers.'),
});

export const aegisAlertSpecSchema = z.object({
  selector: labelSelectorSchema
    .optional()
    .describe("Selects the alert's workflows (set to the alert's labels)."),
  source: z
    .string()
    .optional()
    .describe(
      'Where the alert came from: Default, Alertmanager, AI, Poller or another ingest route; OpsRequest for a run an operator asked for.',
    ),
  type: z.string().min(1).describe('Alert name, e.g. NodeOutOfDiskSpace.'),
  severity: z.string().optional().describe('Severity copied from the alert label `severity`.'),
  status: z.enum(alertStatusValues).describe('Alert status as delivered: Firing or Resolved.'),
  involvedObject: alertInvolvedObjectSchema.optional().describe('The object the alert is about.'),
  details: detailsMap.optional().describe('Alert details (labels, description); template variables.'),
  detials: detailsMap
    .optional()
    .describe('Upstream (misspelled) name of details, accepted for objects written by upstream Aegis.'),
  ttlStrategy: alertTtlStrategySchema.optional().describe('When the finished alert is deleted.'),
  opsRequest: opsRequestSchema
    .optional()
    .describe('Set with source OpsRequest: the template and parameters an operator asked to run.'),
});

export const alertOpsStatusSchema = z.object({
  startTime: timestamp().optional().describe('When the ops workflow started running.'),
  completionTime: timestamp().optional().describe('When the ops workflow finished.'),
  alertOpsStatus: z.enum(alertOpsStatusValues).optional().describe('Ops progress.'),
  triggerStatus: z
    .enum(triggerStatusValues)
    .optional()
    .describe('Outcome of rule matching and workflow creation (TooManyRuletFound is the upstream spelling).'),
  workflowName: z.string().optional().describe('Name of the Argo Workflow created for the alert.'),
  total: int32().min(0).optional().describe('Workflows created for the alert.'),
  active: int32().min(0).optional().describe('Workflows still running.'),
  succeeded: int32().min(0).optional().describe('Workflows that succeeded.'),
  failed: int32().min(0).optional().describe('Workflows that failed or errored.'),
  message: z.string().optional().describe('Why the trigger or the workflow failed, for humans.'),
});

export const approvalReferenceSchema = z.object({
  namespace: z.string().optional().describe('Namespace of the object.'),
  name: z.string().min(1).describe('Name of the object.'),
});

export const approvalHistoryEntrySchema = z.object({
  decision: z.enum(approvalDecisionValues).describe('Approved, Rejected, Expired or Cancelled.'),
  by: z
    .string()
    .min(1)
    .describe('Who decided: a chat user id, a user name, or aegis for Expired and Cancelled.'),
  via: z
    .enum(approvalChannelValues)
    .describe('Through which channel: slack, cli, kubectl, api or controller.'),
  at: timestamp().describe('When the decision was made.'),
  reason: z.string().optional().describe('Optional reason given by the user.'),
  group: z
    .string()
    .optional()
    .describe('The approver group (from the approvers list) through which the user was allowed to decide.'),
  credential: z
    .string()
    .optional()
    .describe(
      'The credential the decision came with (slack:<user>, token:<identity> or token:sha256:<prefix>); each counts as one approver.',
    ),
});

export const alertApprovalSchema = z.object({
  state: z.enum(approvalStateValues).describe('Pending until enough approvals, a rejection or the timeout.'),
  requestedAt: timestamp().describe('When approval was requested.'),
  expiresAt: timestamp().optional().describe('When a pending approval expires.'),
  rule: approvalReferenceSchema.optional().describe('The AegisAlertOpsRule that requires the approval.'),
  template: approvalReferenceSchema.optional().describe('The AegisOpsTemplate that would run.'),
  renderedManifest: z.string().optional().describe('The rendered Workflow that runs once approved.'),
  manifestDigest: z
    .string()
    .optional()
    .describe('sha256 of the rendered manifest, when the manifest itself is too large to keep.'),
  approvers: z
    .array(z.string())
    .optional()
    .describe("Who may approve (the rule's list when requested); empty means anyone."),
  minApprovals: int32().min(1).optional().describe('Approvals needed (the rule value when requested).'),
  allowSelfApproval: z
    .boolean()
    .optional()
    .describe('Whether the requester may approve (the rule value when requested; false when unset).'),
  requestedBy: z
    .string()
    .optional()
    .describe("Who caused the run (an ops request's requestedBy); may not approve unless allowSelfApproval."),
  decidedAt: timestamp().optional().describe('When the approval left Pending.'),
  history: z
    .array(approvalHistoryEntrySchema)
    .optional()
    .describe('Every decision, in order: what, who, through which channel, when and why.'),
});

export const alertSlackMessageSchema = z.object({
  channel: z.string().min(1).describe('Slack channel id of the root message.'),
  ts: z.string().min(1).describe('Slack timestamp of the root message (the thread id).'),
});

export const aegisAlertStatusSchema = z.object({
  status: z.enum(alertStatusValues).optional().describe('Current alert status: Firing or Resolved.'),
  count: int32().min(0).optional().describe('How many times the alert was delivered.'),
  startTime: timestamp().optional().describe('When the alert was first seen.'),
  lastSeen: timestamp().optional().describe('When the alert was last delivered.'),
  resolvedAt: timestamp().optional().describe('When the alert was resolved.'),
  opsStatus: alertOpsStatusSchema.optional().describe('The ops workflow triggered by the alert.'),
  approval: alertApprovalSchema.optional().describe('The approval the ops workflow waits for, if any.'),
  slack: alertSlackMessageSchema.optional().describe('The Slack message that tracks the alert.'),
  conditions: conditions().optional(),
  observedGeneration: observedGeneration().optional(),
});

export const aegisAlertSchema = z.object({
  apiVersion: z.literal(aegisApiVersion),
  kind: z.literal('AegisAlert'),
  metadata: objectMetaSchema,
  spec: aegisAlertSpecSchema,
  status: aegisAlertStatusSchema.optional(),
});

export type AegisAlertSpec = z.infer<typeof aegisAlertSpecSchema>;
export type AegisAlertStatus = z.infer<typeof aegisAlertStatusSchema>;
export type AegisAlert = z.infer<typeof aegisAlertSchema>;
export type AlertStatus = (typeof alertStatusValues)[number];
export type AlertOpsStatus = z.infer<typeof alertOpsStatusSchema>;
export type AlertOpsPhase = (typeof alertOpsStatusValues)[number];
export type TriggerStatus = (typeof triggerStatusValues)[number];
export type AlertApproval = z.infer<typeof alertApprovalSchema>;
export type ApprovalState = (typeof approvalStateValues)[number];
export type ApprovalHistoryEntry = z.infer<typeof approvalHistoryEntrySchema>;
export type ApprovalDecision = (typeof approvalDecisionValues)[number];
export type ApprovalChannel = (typeof approvalChannelValues)[number];
export type OpsRequest = z.infer<typeof opsRequestSchema>;
export type AlertSlackMessage = z.infer<typeof alertSlackMessageSchema>;
export type AlertInvolvedObject = z.infer<typeof alertInvolvedObjectSchema>;

/** The alert's details, whichever spelling wrote them (`details` wins; `detials` is upstream's). */
export function alertDetails(spec: Pick<AegisAlertSpec, 'details' | 'detials'>): Record<string, string> {
  return spec.details ?? spec.detials ?? {};
}
