/** A CustomResourceDefinition manifest (apiextensions.k8s.io/v1, plain JSON) from a CrdDefinition. */
import { aegisGroup, aegisVersion } from './kube-meta.js';
import type { CrdDefinition } from './crd-definitions.js';
import { toOpenApiSchema } from './to-openapi.js';
import type { OpenApiSchema } from './to-openapi.js';

export function buildCustomResourceDefinition(definition: CrdDefinition): OpenApiSchema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${definition.plural}.${aegisGroup}` },
    spec: {
      group: aegisGroup,
      names: {
        kind: definition.kind,
        listKind: `${definition.kind}List`,
        plural: definition.plural,
        singular: definition.singular,
        shortNames: [...definition.shortNames],
        categories: [...definition.categories],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: aegisVersion,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: definition.printerColumns.map((column) => ({ ...column })),
          schema: { openAPIV3Schema: crdRootSchema(definition) },
        },
      ],
    },
  };
}

/** The whole-object schema: apiVersion/kind/metadata as every CRD has them, then spec (required) and status. */
export function crdRootSchema(definition: CrdDefinition): OpenApiSchema {
  return {
    description: definition.description,
    type: 'object',
    properties: {
      apiVersion: {
        description: 'APIVersion defines the versioned schema of this representation of an object.',
        type: 'string',
      },
      kind: {
        description: 'Kind is a string value representing the REST resource this object represents.',
        type: 'string',
      },
      metadata: { type: 'object' },
      spec: {
        description: `Desired state of the ${definition.kind}.`,
        ...toOpenApiSchema(definition.specSchema, 'spec'),
      },
      status: {
        description: `Observed state of the ${definition.kind}, written through the status subresource.`,
        ...toOpenApiSchema(definition.statusSchema, 'status'),
      },
    },
    required: ['spec'],
  };
}
