export type { AlertDelivery, AlertIntake } from '../core/ports/index.js';
export type { AlertParser } from '../core/ports/index.js';
export { noParserMessage } from './ai-route.js';
export type { AcceptedAlert, AcceptedBody } from './enqueue-alerts.js';
export {
  computeSignature,
  signatureHeader,
  signatureHeaders,
  signedPayload,
  timestampHeader,
} from './hmac-signature.js';
export {
  normaliseRoutePrefix,
  registerWebhookRoutes,
  type WebhookRoutesOptions,
} from './register-webhook-routes.js';
export type { WebhookAuthOptions } from './webhook-auth.js';
export { webhookAuthRequirement, type WebhookAuthDecision } from './webhook-auth-requirement.js';
export { createMemorySignatureReplayGuard, type SignatureReplayGuard } from './signature-replay-guard.js';
export {
  alertBoundProblem,
  defaultAlertBounds,
  maxAlertTypeLength,
  type AlertBounds,
} from './alert-bounds.js';
export type { RefusalReason, WebhookSource } from './webhook-metrics.js';
export type { ErrorBody, RefusedAlert } from './webhook-refusal.js';
export { recogniseKnownFormat, type KnownFormat } from './formats/index.js';
