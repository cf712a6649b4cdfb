/** AegisNodeHealthCheck and AegisClusterHealthCheck: reconcilers, schedules, and how they are started. */
export {
  clusterCheckControllerName,
  nodeCheckControllerName,
  startHealthChecks,
  type HealthCheckOptions,
  type RunningHealthChecks,
} from './start-health-checks.js';
export {
  checkScheduleQueueName,
  scheduleId,
  startCheckScheduler,
  type CheckScheduler,
} from './check-scheduler.js';
export { childName, createClusterCheckReconciler, roundLabel } from './cluster-check-reconciler.js';
export {
  createNodeCheckReconciler,
  isNodeCheckFinished,
  ownedByClusterCheck,
} from './node-check-reconciler.js';
export type { HealthAlertIntake, HealthDigestSink, RoundDigest } from './health-check-ports.js';
export {
  clusterCheckResource,
  createHealthCheckSources,
  nodeCheckResource,
  type ClusterCheckObject,
  type HealthCheckSources,
  type NodeCheckObject,
  type PodObject,
} from './health-check-resources.js';
export {
  describeNodeCheck,
  startNodeCheck,
  waitForNodeCheck,
  type NodeCheckClients,
  type RunNodeCheckRequest,
} from './run-node-check.js';
