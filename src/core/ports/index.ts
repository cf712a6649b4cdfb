/**
 * The ports: small interfaces consumers depend on, defined once here. Adapters implement them (src/kube for the
 * Kubernetes API, src/controller/ingest for the intake queue, src/agent for the AI alert parser); consumers
 * (controllers, webhooks, the bot, the agent) import them from here, never from the adapter's folder.
 */
export {
  alertStoreErrorCodes,
  isConflict,
  isNotFound,
  type AegisAlert,
  type AegisAlertStatus,
  type AlertStore,
  type WritePreconditions,
} from './alert-store.js';
export * from './alert-reconciler-ports.js';
export type { AlertSlackStore } from './alert-slack-store.js';
export type { AlertDelivery, AlertIntake } from './alert-intake.js';
export type { AlertParser } from './alert-parser.js';
export type * from './cluster-reader.js';
export type { DeepReadonly } from '../deep-readonly.js';
export type { SignatureReplayGuard } from './signature-replay-guard.js';
