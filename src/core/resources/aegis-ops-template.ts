/** AegisOpsTemplate: an Argo Workflow manifest with `{{.variable}}` placeholders, run for matching alerts. */
import { z } from 'zod';
import { aegisApiVersion, conditions, int32, objectMetaSchema, observedGeneration } from './kube-meta.js';
import { recordedStatusValues } from './aegis-alert-ops-rule.js';

export const aegisOpsTemplateSpecSchema = z.object({
  manifest: z
    .string()
    .min(1)
    .describe('An argoproj.io/v1alpha1 Workflow as YAML with {{.node}}-style variables from the alert.'),
  generateName: z.string().optional().describe('Kept for upstream compatibility; unused.'),
  namespace: z.string().optional().describe('Kept for upstream compatibility; unused.'),
});

export const templateExecuteStatusSchema = z.object({
  succeeded: int32().min(0).optional().describe('Workflows from this template that succeeded.'),
  failed: int32()
    .min(0)
    .optional()
    .describe('Workflows from this template that failed (or could not start).'),
});

export const aegisOpsTemplateStatusSchema = z.object({
  status: z
    .enum(recordedStatusValues)
    .optional()
    .describe('Recorded when the manifest parses, else Invalid.'),
  message: z.string().optional().describe('The parse error of an Invalid template.'),
  executeStatus: templateExecuteStatusSchema.optional().describe('Workflow outcomes.'),
  conditions: conditions().optional(),
  observedGeneration: observedGeneration().optional(),
});

export const aegisOpsTemplateSchema = z.object({
  apiVersion: z.literal(aegisApiVersion),
  kind: z.literal('AegisOpsTemplate'),
  metadata: objectMetaSchema,
  spec: aegisOpsTemplateSpecSchema,
  status: aegisOpsTemplateStatusSchema.optional(),
});

export type AegisOpsTemplateSpec = z.infer<typeof aegisOpsTemplateSpecSchema>;
export type AegisOpsTemplateStatus = z.infer<typeof aegisOpsTemplateStatusSchema>;
export type AegisOpsTemplate = z.infer<typeof aegisOpsTemplateSchema>;
