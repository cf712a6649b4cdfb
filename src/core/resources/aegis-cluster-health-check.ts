/** AegisClusterHealthCheck: one AegisNodeHealthCheck per selected node, on a schedule, with merged results. */
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

export const clusterHealthCheckPhaseValues = [
  'Unknown',
  'Pending',
  'Checking',
  'Failed',
  'Completed',
] as const;

export const aegisClusterHealthCheckSpecSchema = z.object({
  schedule: cronSchedule().optional(),
  timeout: int32()
    .min(1)
    .optional()
    .describe('Seconds a round may take before it completes with the results so far (default applies).'),
  ...checkerPodSpecFields('ConfigMaps (same namespace) with check rules, passed to every node check.'),
});

export const nodeCheckResultSchema = z.object({
  name: z.string().describe('Node name.'),
  resultInfos: checkResultsByModuleSchema.optional(),
});

export const clusterCheckResultsSchema = z.object({
  checkType: z.string().optional().describe('What was checked; "Node".'),
  results: z.array(nodeCheckResultSchema).optional().describe('Nodes with problems and what was found.'),
});

export const aegisClusterHealthCheckStatusSchema = z.object({
  phase: z
    .enum(clusterHealthCheckPhaseValues)
    .optional()
    .describe('Unknown, Pending, Checking, Failed or Completed.'),
  startTime: timestamp().optional().describe('When the current round started.'),
  completionTime: timestamp().optional().describe('When the current round finished.'),
  checkResults: clusterCheckResultsSchema.optional().describe('Problems found in the last round.'),
  desired: int32().min(0).optional().describe('Node checks created for this round.'),
  active: int32().min(0).optional().describe('Node checks still running.'),
  succeeded: int32().min(0).optional().describe('Node checks that succeeded.'),
  failed: int32().min(0).optional().describe('Node checks that failed.'),
  conditions: conditions().optional(),
  observedGeneration: observedGeneration().optional(),
});

export const aegisClusterHealthCheckSchema = z.object({
  apiVersion: z.literal(aegisApiVersion),
  kind: z.literal('AegisClusterHealthCheck'),
  metadata: objectMetaSchema,
  spec: aegisClusterHealthCheckSpecSchema,
  status: aegisClusterHealthCheckStatusSchema.optional(),
});

export type ClusterHealthCheckPhase = (typeof clusterHealthCheckPhaseValues)[number];
export type NodeCheckResult = z.infer<typeof nodeCheckResultSchema>;
export type AegisClusterHealthCheckSpec = z.infer<typeof aegisClusterHealthCheckSpecSchema>;
export type AegisClusterHealthCheckStatus = z.infer<typeof aegisClusterHealthCheckStatusSchema>;
export type AegisClusterHealthCheck = z.infer<typeof aegisClusterHealthCheckSchema>;
