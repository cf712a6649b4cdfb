/**
 * AegisAlertOpsRule: which alerts (type pattern, status, labels) run which AegisOpsTemplate, and whether a
 * human must approve the run first.
 */
import { z } from 'zod';
import {
  aegisApiVersion,
  conditions,
  duration,
  int32,
  int64,
  labelSelectorSchema,
  objectMetaSchema,
  observedGeneration,
} from './kube-meta.js';

/** How long an approval stays open when the rule does not say (also for ops requests). */
export const defaultApprovalTimeout = '30m';

export const recordedStatusValues = ['Recorded', 'Invalid'] as const;

export const alertConditionSchema = z.object({
  type: z
    .string()
    .min(1)
    .describe('Alert type: an anchored regular expression (NodeCriticalIssue matches only that type).'),
  status: z.string().min(1).describe('Alert status to match exactly, e.g. Firing or Resolved.'),
});

export const opsTemplateReferenceSchema = z.object({
  kind: z.enum(['AegisOpsTemplate']).optional().describe('Must be AegisOpsTemplate.'),
  apiVersion: z.string().optional().describe('aegis.io/v1alpha1 (ignored).'),
  namespace: z.string().optional().describe("Namespace of the template; the rule's namespace when empty."),
  name: z.string().min(1).describe('Name of the AegisOpsTemplate.'),
});

export const ruleApprovalSchema = z.object({
  required: z
    .boolean()
    .default(true)
    .describe(
      'Whether a run waits for approval; true when the approval block is present. Without the block, AEGIS_APPROVAL_DEFAULT decides.',
    ),
  approvers: z
    .array(z.string().min(1))
    .optional()
    .describe('Slack user ids (U…) or user group ids (S…) allowed to approve; empty means anyone.'),
  minApprovals: int32().min(1).default(1).describe('How many distinct approvers must approve.'),
  timeout: duration()
    .default(defaultApprovalTimeout)
    .describe('How long a request stays open before it expires, e.g. 30m.'),
  allowSelfApproval: z
    .boolean()
    .default(false)
    .describe('Whether the person who requested the run may approve it.'),
});

export const aegisAlertOpsRuleSpecSchema = z.object({
  selector: labelSelectorSchema
    .optional()
    .describe('Matched against the AegisAlert metadata.labels; empty matches every alert.'),
  alertConditions: z
    .array(alertConditionSchema)
    .min(1)
    .describe('The rule matches an alert when any condition matches its type and status.'),
  opsTemplate: opsTemplateReferenceSchema.describe('The AegisOpsTemplate to run.'),
  approval: ruleApprovalSchema.optional().describe('Human approval before the workflow runs.'),
});

export const ruleTriggerStatusSchema = z.object({
  succeeded: int64().min(0).optional().describe('Workflows started by this rule that succeeded.'),
  failed: int64().min(0).optional().describe('Workflows started by this rule that failed.'),
});

export const aegisAlertOpsRuleStatusSchema = z.object({
  status: z.enum(recordedStatusValues).optional().describe('Recorded when the rule is in use, else Invalid.'),
  message: z.string().optional().describe('Why the rule is invalid.'),
  triggerStatus: ruleTriggerStatusSchema.optional().describe('Outcomes of the workflows this rule started.'),
  conditions: conditions().optional(),
  observedGeneration: observedGeneration().optional(),
});

export const aegisAlertOpsRuleSchema = z.object({
  apiVersion: z.literal(aegisApiVersion),
  kind: z.literal('AegisAlertOpsRule'),
  metadata: objectMetaSchema,
  spec: aegisAlertOpsRuleSpecSchema,
  status: aegisAlertOpsRuleStatusSchema.optional(),
});

export type AlertCondition = z.infer<typeof alertConditionSchema>;
export type OpsTemplateReference = z.infer<typeof opsTemplateReferenceSchema>;
export type RuleApproval = z.infer<typeof ruleApprovalSchema>;
export type AegisAlertOpsRuleSpec = z.infer<typeof aegisAlertOpsRuleSpecSchema>;
export type AegisAlertOpsRuleStatus = z.infer<typeof aegisAlertOpsRuleStatusSchema>;
export type AegisAlertOpsRule = z.infer<typeof aegisAlertOpsRuleSchema>;
export type RecordedStatus = (typeof recordedStatusValues)[number];
