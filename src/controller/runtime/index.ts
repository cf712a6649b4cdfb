/** The generic reconcile runtime: watch sources feed keys into per-controller BullMQ queues. */
export {
  controllerOwnerKey,
  ownKey,
  startController,
  watchInput,
  type Controller,
  type ControllerOptions,
  type ControllerSource,
} from './controller.js';
export { deepFreeze, mutableCopy, type DeepReadonly } from './deep-freeze.js';
export { formatObjectKey, objectKeyOf, parseObjectKey, type ObjectKey } from './object-key.js';
export type { QueueDepth, ReconcileOutcome } from './reconcile-metrics.js';
export {
  startReconcileQueue,
  type ReconcileQueue,
  type ReconcileQueueOptions,
  type RetryOptions,
} from './reconcile-queue.js';
export {
  reconcileAgain,
  reconcileDone,
  type EnqueueOptions,
  type ReconcileContext,
  type ReconcileFunction,
  type ReconcileResult,
} from './reconcile-types.js';
export {
  createInformerManager,
  informerOf,
  type InformerManager,
  type InformerManagerOptions,
} from './informer-manager.js';
export {
  createWatchSource,
  describeResource,
  type WatchEvent,
  type WatchEventType,
  type WatchResource,
  type WatchSource,
  type WatchSourceOptions,
  type WatchedObject,
} from './watch-source.js';
