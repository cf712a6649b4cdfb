/** Approval decisions (Slack, CLI, HTTP API) and ops requests: the service, its ports and its HTTP routes. */
export {
  createApprovalService,
  opsRequestErrorCodes,
  type AlertReference,
  type ApprovalActor,
  type ApprovalOutcome,
  type ApprovalService,
  type ApprovalServiceOptions,
  type ApprovalServiceRefusal,
} from './approval-service.js';
export type {
  ApprovalAlertStore,
  ApprovalEventRecorder,
  EventSubject,
  RecordedEvent,
} from './approval-ports.js';
export { registerApprovalRoutes, type ApprovalRoutesOptions } from './approval-routes.js';
