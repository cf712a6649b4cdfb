import { apiErrors } from '../api-error.js';
import type { ResourceRegistry } from '../registry.js';
import type { ResourceType } from '../resource-type.js';
import { validateCustomResource } from '../schema/index.js';
import type { KubeObject } from '../types.js';
import { establishedCrdStatus, resourceTypesOfCrd, validateCrd } from './crd-definition.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/**
 * A custom resource checked against its CRD's schema: unknown fields refused under `Strict` (kubectl's
 * default), invalid values refused with one cause per field, and the object returned pruned and defaulted.
 */
export function admitCustomResource(
  type: ResourceType,
  object: KubeObject,
  fieldValidation: FieldValidation,
): KubeObject {
  if (type.schema === undefined) return object;
  const result = validateCustomResource(object, type.schema, { fieldValidation });
  if (fieldValidation === 'Strict' && result.unknownFields.length > 0) {
    throw apiErrors.badRequest(
      `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${result.unknownFields.map((f) => `unknown field "${f}"`).join(', ')}`,
    );
  }
  if (result.causes.length > 0)
    throw apiErrors.invalid(type.kind, type.group, object.metadata.name ?? '', result.causes);
  return result.object;
}

/**
 * A CustomResourceDefinition checked as kube-apiserver does (structure, names, versions), refused when one of
 * its resources is already served by another CRD, and returned with the Established condition set.
 */
export function admitCrd(registry: ResourceRegistry, object: KubeObject, now: string): KubeObject {
  const causes = validateCrd(object);
  if (causes.length > 0)
    throw apiErrors.invalid(
      'CustomResourceDefinition',
      'apiextensions.k8s.io',
      object.metadata.name ?? '',
      causes,
    );
  for (const type of resourceTypesOfCrd(object)) {
    const existing = registry.lookup(type.group, type.version, type.plural);
    if (existing !== undefined && existing.crdName !== object.metadata.name) {
      throw apiErrors.invalid(
        'CustomResourceDefinition',
        'apiextensions.k8s.io',
        object.metadata.name ?? '',
        [
          {
            reason: 'FieldValueInvalid',
            field: 'spec.names.plural',
            message: `Invalid value: "${type.plural}": is already served by another resource`,
          },
        ],
      );
    }
  }
  return { ...object, status: establishedCrdStatus(object, now) };
}
