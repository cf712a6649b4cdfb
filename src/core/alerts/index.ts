export { alertSources, alertStatuses, canonicalKind } from './alert.js';
export type { Alert, AlertInvolvedObject, AlertStatus } from './alert.js';
export {
  aegisAlertLabels,
  alertLabelKeys,
  filteredDetailKeys,
  fingerprintLabelSelector,
  fingerprintLabelValue,
  isReservedLabelKey,
  labelsFromDetails,
  sanitiseLabelValue,
  withoutReservedLabels,
} from './alert-labels.js';
export { alertGenerateName, buildAegisAlertObject, systemParameterAnnotations } from './alert-object.js';
export type {
  AegisAlertInitialStatus,
  AegisAlertObject,
  AegisAlertObjectInvolvedObject,
  AegisAlertTtlStrategy,
  BuildAegisAlertOptions,
} from './alert-object.js';
export { deliveryId } from './delivery-id.js';
export { compareByCodePoint, detailsFingerprint, objectFingerprint } from './fingerprint.js';
