/** AegisNodeHealthCheck: run a checker pod on one node and record what it found, once or on a schedule. */
import { z } from 'zod';
import {
  aegisApiVersion,
  conditions,
  int32,
  objectMetaSchema,
  observedGeneration,
  timestamp,
} from './kube-meta.js';
import { checkerPodSpecFields, checkResultsByModuleSchema, cronSchedule } from './health-check-common.js';

export const nodeHealthCheckStatusValues = ['Unknown', 'Pending', 'Checking', 'Failed', 'Succeeded'] as const;

export const aegisNodeHealthCheckSpecSchema = z.object({
  node: z.string().min(1).describe('Node to check.'),
  ...checkerPodSpecFields(
    'ConfigMaps (same namespace) with check rules, mounted at /nodecheck/config/<name>.',
  ),
  schedule: cronSchedule().optional(),
  timeout: int32().min(1).optional().describe('Seconds the check may run before it counts as failed.'),
});

export const aegisNodeHealthCheckStatusSchema = z.object({
  status: z
    .enum(nodeHealthCheckStatusValues)
    .optional()
    .describe('Unknown, Pending, Checking, Failed or Succeeded.'),
  startTime: timestamp().optional().describe('When the check started.'),
  completionTime: timestamp().optional().describe('When the check finished.'),
  results: checkResultsByModuleSchema.optional(),
  conditions: conditions().optional(),
  observedGeneration: observedGeneration().optional(),
});

export const aegisNodeHealthCheckSchema = z.object({
  apiVersion: z.literal(aegisApiVersion),
  kind: z.literal('AegisNodeHealthCheck'),
  metadata: objectMetaSchema,
  spec: aegisNodeHealthCheckSpecSchema,
  status: aegisNodeHealthCheckStatusSchema.optional(),
});

export type NodeHealthCheckStatusValue = (typeof nodeHealthCheckStatusValues)[number];
export type AegisNodeHealthCheckSpec = z.infer<typeof aegisNodeHealthCheckSpecSchema>;
export type AegisNodeHealthCheckStatus = z.infer<typeof aegisNodeHealthCheckStatusSchema>;
export type AegisNodeHealthCheck = z.infer<typeof aegisNodeHealthCheckSchema>;
