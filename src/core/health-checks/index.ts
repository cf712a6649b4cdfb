/** Node and cluster health checks: pure logic (checker pod, results parsing, node selection, rounds, alerts). */
export {
  checkLogLimitBytes,
  failingItems,
  parseCheckResults,
  type ParsedCheckResults,
} from './parse-check-results.js';
export {
  matchesNodeSelector,
  selectNodes,
  tolerates,
  toleratesNode,
  type SelectableNode,
  type Taint,
  type Toleration,
} from './select-nodes.js';
export {
  boundedName,
  buildCheckerPod,
  checkerPodName,
  clusterHealthCheckLabel,
  nodeHealthCheckLabel,
  ruleMountDirectory,
  type CheckerPodInput,
  type CheckerPodResult,
} from './build-checker-pod.js';
export {
  compareRounds,
  failingItemKey,
  flattenFailing,
  isRoundDone,
  summariseRound,
  type FailingItem,
  type RoundChanges,
  type RoundChild,
  type RoundSummary,
  type UncheckedNode,
} from './round-summary.js';
export {
  healthCheckAlert,
  healthCheckAlertSource,
  healthCheckDeliveryId,
  healthCheckFingerprint,
  nodeHealthCheckAlertType,
} from './health-alerts.js';
export { nextScheduleTimes, parseCheckSchedule, type ParsedSchedule } from './check-schedule.js';
