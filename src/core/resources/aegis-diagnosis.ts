/** AegisDiagnosis: a request to diagnose a Node, Pod, PyTorchJob or Argo Workflow, and its result (with an optional LLM explanation). */
import { z } from 'zod';
import {
  aegisApiVersion,
  conditions,
  duration,
  int32,
  objectMetaSchema,
  observedGeneration,
  timestamp,
} from './kube-meta.js';

/**
 * `PytorchJob` is how upstream spells the kind; both name the kubeflow.org/v1 PyTorchJob. `Workflow` is an Argo
 * Workflow (argoproj.io/v1alpha1).
 */
export const diagnosisObjectKindValues = ['Node', 'Pod', 'PyTorchJob', 'PytorchJob', 'Workflow'] as const;
export const diagnosisPhaseValues = ['Unknown', 'Pending', 'Diagnosing', 'Failed', 'Completed'] as const;
export const diagnosisResultStatusValues = ['Healthy', 'UnHealthy', 'Unknown'] as const;

export const diagnosisObjectSchema = z.object({
  kind: z
    .enum(diagnosisObjectKindValues)
    .describe('Kind of object to diagnose: Node, Pod, PyTorchJob (PytorchJob is accepted too) or Workflow.'),
  name: z.string().min(1).describe('Name of the object.'),
  namespace: z.string().optional().describe('Namespace of the object (Pod, PyTorchJob, Workflow); the diagnosis\'s own when omitted.'),
  node: z.string().optional().describe('Node of the object, when known.'),
});

export const diagnosisTtlStrategySchema = z.object({
  secondsAfterCompletion: int32()
    .min(0)
    .optional()
    .describe('Delete the diagnosis this long after it finished.'),
  secondsAfterSuccess: int32()
    .min(0)
    .optional()
    .describe('Delete the diagnosis this long after it completed.'),
  secondsAfterFailure: int32().min(0).optional().describe('Delete the diagnosis this long after it failed.'),
});

export const aegisDiagnosisSpecSchema = z.object({
  object: diagnosisObjectSchema.describe('The object to diagnose.'),
  timeout: duration().optional().describe('How long the diagnosis may take, e.g. 5m (default 5m).'),
  ttlStrategy: diagnosisTtlStrategySchema.optional().describe('When the finished diagnosis is deleted.'),
  language: z.string().optional().describe('Language of the explanation, e.g. English or Chinese.'),
});

export const diagnosisResultSchema = z.object({
  status: z.enum(diagnosisResultStatusValues).optional().describe('Healthy, UnHealthy or Unknown.'),
  failures: z.array(z.string()).optional().describe('Problems found.'),
  warnings: z.array(z.string()).optional().describe('Warnings found.'),
  infos: z.array(z.string()).optional().describe('Other facts collected.'),
});

export const aegisDiagnosisStatusSchema = z.object({
  phase: z
    .enum(diagnosisPhaseValues)
    .optional()
    .describe('Unknown, Pending, Diagnosing, Failed or Completed.'),
  startTime: timestamp().optional().describe('When the diagnosis started.'),
  completionTime: timestamp().optional().describe('When the diagnosis finished.'),
  result: diagnosisResultSchema.optional().describe('What the analyzers found.'),
  explain: z.string().optional().describe('Explanation and suggested fix (from the LLM when configured).'),
  errorResult: z.string().optional().describe('Why the diagnosis failed.'),
  conditions: conditions().optional(),
  observedGeneration: observedGeneration().optional(),
});

export const aegisDiagnosisSchema = z.object({
  apiVersion: z.literal(aegisApiVersion),
  kind: z.literal('AegisDiagnosis'),
  metadata: objectMetaSchema,
  spec: aegisDiagnosisSpecSchema,
  status: aegisDiagnosisStatusSchema.optional(),
});

export type DiagnosisObject = z.infer<typeof diagnosisObjectSchema>;
export type DiagnosisObjectKind = (typeof diagnosisObjectKindValues)[number];
export type DiagnosisPhase = (typeof diagnosisPhaseValues)[number];
export type DiagnosisResult = z.infer<typeof diagnosisResultSchema>;
export type AegisDiagnosisSpec = z.infer<typeof aegisDiagnosisSpecSchema>;
export type AegisDiagnosisStatus = z.infer<typeof aegisDiagnosisStatusSchema>;
export type AegisDiagnosis = z.infer<typeof aegisDiagnosisSchema>;
