/** CRD schemas in the sandbox: structural checks for CRDs, pruning, defaulting and validation for custom resources. */
export { checkStructuralSchema } from './structural-check.js';
export { validateCustomResource } from './validate-custom-resource.js';
export type { CustomResourceAdmission, FieldValidation } from './validate-custom-resource.js';
export { applyDefaults } from './apply-defaults.js';
export { pruneUnknownFields } from './prune-unknown.js';
export type { PruneResult } from './prune-unknown.js';
export { validateValue } from './validate-value.js';
