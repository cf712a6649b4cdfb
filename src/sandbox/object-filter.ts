import {
  LabelSelectorError,
  matchesLabelSelector,
  parseLabelSelector,
  type LabelRequirement,
} from '../core/label-selector.js';
import { apiErrors } from './api-error.js';
import {
  FieldSelectorError,
  checkFieldSelector,
  fieldGetterFor,
  matchesFieldSelector,
  parseFieldSelector,
  type FieldRequirement,
} from './field-selector.js';
import type { ResourceType } from './resource-type.js';
import type { KubeObject } from './types.js';

/** Which objects a list or watch request selects: namespace, label selector and field selector. */
export interface ObjectFilter {
  readonly namespace: string | undefined;
  /** A label every selected object has (the selector's first `key=value`), for the store's label index. */
  readonly requiredLabel: { key: string; value: string } | undefined;
  matches(object: KubeObject): boolean;
}

export function buildObjectFilter(
  type: ResourceType,
  namespace: string | undefined,
  labelSelector: string | undefined,
  fieldSelector: string | undefined,
): ObjectFilter {
  let labels: LabelRequirement[] = [];
  let fields: FieldRequirement[] = [];
  const getters = fieldGetterFor(
    type.group === '' ? type.kind : type.group === 'events.k8s.io' ? `${type.group}/${type.kind}` : '',
  );
  try {
    labels = parseLabelSelector(labelSelector ?? '');
  } catch (error) {
    if (error instanceof LabelSelectorError) throw apiErrors.badRequest(error.message);
    throw error;
  }
  try {
    fields = parseFieldSelector(fieldSelector ?? '');
    checkFieldSelector(fields, getters, type.plural);
  } catch (error) {
    if (error instanceof FieldSelectorError) throw apiErrors.badRequest(error.message);
    throw error;
  }
  const everything = labels.length === 0 && fields.length === 0;
  const equality = labels.find(
    (requirement) =>
      (requirement.operator === 'Equals' || requirement.operator === 'In') && requirement.values.length === 1,
  );
  const requiredLabel =
    equality?.values[0] === undefined ? undefined : { key: equality.key, value: equality.values[0] };
  return {
    namespace,
    requiredLabel,
    matches(object: KubeObject): boolean {
      if (namespace !== undefined && (object.metadata.namespace ?? '') !== namespace) return false;
      if (everything) return true;
      return (
        matchesLabelSelector(labels, object.metadata.labels) && matchesFieldSelector(fields, object, getters)
      );
    },
  };
}
