import type { FieldCause, JsonSchemaProps, KubeObject, ObjectMeta } from '../types.js';
import { applyDefaults } from './apply-defaults.js';
import { cloneJson, isJsonObject } from './json-value.js';
import { pruneUnknownFields } from './prune-unknown.js';
import { validateValue } from './validate-value.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface CustomResourceAdmission {
  /** The object to store: pruned, defaulted, a new object (the input is untouched). */
  object: KubeObject;
  /** Schema violations, shaped like the apiserver's 422 causes. */
  causes: FieldCause[];
  /**
   * Fields the request carried that the schema does not know (and that were pruned), e.g. `spec.foo`, as
   * strict decoding names them. Empty with `fieldValidation: 'Ignore'`, where kube does not look for them.
   */
  unknownFields: string[];
}

/**
 * Admits a custom resource against its version's schema like kube-apiserver: unknown fields are pruned (and
 * reported), defaults applied (anything unknown inside a default is pruned silently), then the result is
 * validated, status included. The root `metadata` is left to the metadata validation.
 */
export function validateCustomResource(
  object: KubeObject,
  schema: JsonSchemaProps,
  options: { fieldValidation: FieldValidation },
): CustomResourceAdmission {
  const pruned = pruneUnknownFields(object, schema, { resourceRoot: true });
  const defaulted = applyDefaults(pruned.value, schema, { resourceRoot: true });
  const stored = pruneUnknownFields(defaulted, schema, { resourceRoot: true }).value;
  const causes = validateValue(stored, schema, { resourceRoot: true });
  const fields = isJsonObject(stored) ? stored : {};
  // The root's metadata is never pruned or defaulted, so it is the caller's metadata, copied.
  const result: KubeObject = { ...fields, metadata: cloneJson<ObjectMeta>(object.metadata) };
  return {
    object: result,
    causes,
    unknownFields: options.fieldValidation === 'Ignore' ? [] : pruned.prunedPaths,
  };
}
