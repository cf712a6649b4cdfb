export {
  createIngestQueue,
  ingestJobDefaults,
  type IngestJobRetention,
  type IngestQueue,
  type IngestQueueOptions,
} from './ingest-queue.js';
export { batchJobs, startIntakeMover, type IntakeMover, type IntakeMoverOptions } from './intake-mover.js';
export {
  startIngestWorker,
  type BatchTally,
  type IngestWorker,
  type IngestWorkerOptions,
} from './ingest-worker.js';
export {
  createAlertUpserter,
  type AlertUpserter,
  type AlertUpserterOptions,
  type UpsertOutcome,
} from './upsert-alert.js';
export { startCountFlusher, type CountFlusher, type CountFlusherOptions } from './count-flusher.js';
export { IngestState, type IngestStateOptions, type RepeatResult } from './ingest-state.js';
export { ingestKeys, type IngestKeys } from './ingest-keys.js';
export { firstDeliveryAnnotation, isActive, isFiring } from './alert-state.js';
export {
  defaultIngestQueueName,
  ingestBatchJobName,
  type IngestBatchJobData,
  intakeSequence,
  type IngestDelivery,
} from './ingest-job.js';
export {
  createIngestMetrics,
  noopIngestMetrics,
  registerQueueDepthGauge,
  type IngestMetrics,
} from './ingest-metrics.js';
export {
  alertStoreErrorCodes,
  isConflict,
  isNotFound,
  type AegisAlert,
  type AegisAlertStatus,
  type AlertStore,
  type WritePreconditions,
} from '../../core/ports/index.js';
export type { AegisAlertTtlStrategy } from '../../core/alerts/index.js';
export { alertExpiresAt, upstreamAlertTtlDefaults, type AlertTtlDefaults } from './alert-expiry.js';
export { createRedisSignatureReplayGuard, type RedisSignatureReplayGuard } from './signature-replay-store.js';
export {
  startTtlSweeper,
  sweepExpiredAlerts,
  type SweepOptions,
  type TtlSweeper,
  type TtlSweeperOptions,
} from './ttl-sweeper.js';
