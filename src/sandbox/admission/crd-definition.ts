import { checkStructuralSchema } from '../schema/index.js';
import type { ResourceType } from '../resource-type.js';
import type { FieldCause, JsonSchemaProps, KubeObject, PrinterColumn } from '../types.js';

interface CrdVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: JsonSchemaProps };
  subresources?: { status?: unknown };
  additionalPrinterColumns?: PrinterColumn[];
}

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: { plural?: string; singular?: string; kind?: string; listKind?: string; shortNames?: string[]; categories?: string[] };
  versions?: CrdVersion[];
}

function specOf(crd: KubeObject): CrdSpec {
  return (crd['spec'] ?? {});
}

/** Field causes for a CustomResourceDefinition the way the apiextensions server checks it (the parts that matter here). */
export function validateCrd(crd: KubeObject): FieldCause[] {
  const spec = specOf(crd);
  const causes: FieldCause[] = [];
  const need = (value: unknown, field: string): void => {
    if (typeof value !== 'string' || value === '') causes.push({ reason: 'FieldValueRequired', field, message: 'Required value' });
  };
  need(spec.group, 'spec.group');
  need(spec.names?.plural, 'spec.names.plural');
  need(spec.names?.kind, 'spec.names.kind');
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    causes.push({ reason: 'FieldValueNotSupported', field: 'spec.scope', message: `Unsupported value: "${String(spec.scope)}": supported values: "Cluster", "Namespaced"` });
  }
  const expected = `${spec.names?.plural ?? ''}.${spec.group ?? ''}`;
  if (crd.metadata.name !== expected) {
    causes.push({ reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "${crd.metadata.name ?? ''}": must be spec.names.plural+"."+spec.group` });
  }
  const versions = spec.versions ?? [];
  if (versions.length === 0) causes.push({ reason: 'FieldValueRequired', field: 'spec.versions', message: 'Required value: must have exactly one version marked as storage version' });
  const storage = versions.filter((v) => v.storage === true).length;
  if (versions.length > 0 && storage !== 1) {
    causes.push({ reason: 'FieldValueInvalid', field: 'spec.versions', message: `Invalid value: must have exactly one version marked as storage version, found ${storage}` });
  }
  versions.forEach((version, index) => {
    need(version.name, `spec.versions[${index}].name`);
    const schema = version.schema?.openAPIV3Schema;
    if (schema === undefined) {
      causes.push({ reason: 'FieldValueRequired', field: `spec.versions[${index}].schema.openAPIV3Schema`, message: 'Required value: schemas are required' });
    } else {
      causes.push(...checkStructuralSchema(schema, `spec.versions[${index}].schema.openAPIV3Schema`));
    }
  });
  return causes;
}

/** The resources a valid CRD serves: one per served version, sharing storage. */
export function resourceTypesOfCrd(crd: KubeObject): ResourceType[] {
  const spec = specOf(crd);
  const names = spec.names ?? {};
  const kind = names.kind ?? '';
  const group = spec.group ?? '';
  const plural = names.plural ?? '';
  return (spec.versions ?? [])
    .filter((v) => v.served !== false && typeof v.name === 'string')
    .map((v) => ({
      group,
      version: v.name ?? '',
      plural,
      singular: names.singular ?? kind.toLowerCase(),
      kind,
      listKind: names.listKind ?? `${kind}List`,
      namespaced: spec.scope !== 'Cluster',
      shortNames: names.shortNames ?? [],
      categories: names.categories ?? [],
      statusSubresource: v.subresources?.status !== undefined && v.subresources.status !== null,
      extraSubresources: [],
      strategicMerge: false,
      printerColumns: v.additionalPrinterColumns ?? [],
      ...(v.schema?.openAPIV3Schema === undefined ? {} : { schema: v.schema.openAPIV3Schema }),
      storageKey: `${group}/${plural}`,
      crdName: crd.metadata.name ?? '',
    }));
}

/** The status a real API server gives an accepted CRD: names accepted, established, stored versions. */
export function establishedCrdStatus(crd: KubeObject, now: string): Record<string, unknown> {
  const spec = specOf(crd);
  const names = spec.names ?? {};
  const kind = names.kind ?? '';
  const condition = (type: string, reason: string, message: string): Record<string, unknown> => ({
    type,
    status: 'True',
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    acceptedNames: {
      plural: names.plural,
      singular: names.singular ?? kind.toLowerCase(),
      kind,
      listKind: names.listKind ?? `${kind}List`,
      ...(names.shortNames === undefined ? {} : { shortNames: names.shortNames }),
      ...(names.categories === undefined ? {} : { categories: names.categories }),
    },
    storedVersions: (spec.versions ?? []).filter((v) => v.storage === true).map((v) => v.name),
  };
}
