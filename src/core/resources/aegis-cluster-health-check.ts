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

export const uncheckedNodeSchema = z.object({
  node: z.string().describe('Node name.'),
  reason: z.string().optional().describe('Why it could not be checked (check failed, timed out).'),
});

export const clusterCheckRoundSchema = z.object({
  round: int32().min(0).describe('Round number.'),
  startTime: timestamp().optional().describe('When the round started.'),
  completionTime: timestamp().optional().describe('When the round finished.'),
  desired: int32().min(0).optional().describe('Node checks created.'),
  succeeded: int32().min(0).optional().describe('Node checks that succeeded.'),
  failed: int32().min(0).optional().describe('Node checks that failed.'),
  failingNodes: int32().min(0).optional().describe('Nodes with at least one failing item.'),
  uncheckedNodes: int32().min(0).optional().describe('Nodes that could not be checked.'),
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
  round: int32().min(0).optional().describe('Number of the current (or last) round, from 1.'),
  lastScheduleTime: timestamp().optional().describe('When the schedule last started a round.'),
  uncheckedNodes: z
    .array(uncheckedNodeSchema)
    .optional()
    .describe('Nodes the last completed round could not check.'),
  history: z.array(clusterCheckRoundSchema).optional().describe('The last rounds, newest first.'),
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
export type UncheckedNodeRecord = z.infer<typeof uncheckedNodeSchema>;
export type ClusterCheckRound = z.infer<typeof clusterCheckRoundSchema>;
export type NodeCheckResult = z.infer<typeof nodeCheckResultSchema>;
export type AegisClusterHealthCheckSpec = z.infer<typeof aegisClusterHealthCheckSpecSchema>;
export type AegisClusterHealthCheckStatus = z.infer<typeof aegisClusterHealthCheckStatusSchema>;
export type AegisClusterHealthCheck = z.infer<typeof aegisClusterHealthCheckSchema>;
