import type { FieldCause, JsonSchemaProps } from '../types.js';
import { defaultCauses } from './default-check.js';
import { sortCauses } from './field-causes.js';
import { schemaPropsCauses } from './schema-props-check.js';
import { structuralInvariantCauses } from './structural-invariants.js';

/**
 * Checks a CRD version's `openAPIV3Schema` like kube-apiserver's apiextensions validation: first the
 * structural invariants (sorted, as `ValidateStructural` sorts them), then, only for a structural schema, the
 * defaults; then the per-node OpenAPI checks. `path` is where the schema sits in the CRD, e.g.
 * `spec.versions[0].schema.openAPIV3Schema`.
 */
export function checkStructuralSchema(schema: JsonSchemaProps, path: string): FieldCause[] {
  const structural = sortCauses(structuralInvariantCauses(schema, path));
  const defaults = structural.length === 0 ? defaultCauses(schema, path) : [];
  return [...structural, ...defaults, ...sortCauses(schemaPropsCauses(schema, path))];
}
