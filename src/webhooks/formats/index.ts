export { parseAlertmanagerPayload, involvedObjectFromLabels } from './alertmanager-format.js';
export { parseCustomPayload } from './custom-format.js';
export type { CustomFormatOptions } from './custom-format.js';
export { recogniseKnownFormat } from './recognise-format.js';
export type { KnownFormat } from './recognise-format.js';
export { formatPath } from './conversion-result.js';
export type { AcceptedAlert, ConversionResult, RefusedAlert } from './conversion-result.js';
