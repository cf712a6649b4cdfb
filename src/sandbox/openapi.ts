import type { ResourceRegistry } from './registry.js';
import type { ResourceType } from './resource-type.js';

/**
 * A minimal OpenAPI v3: an index of every served group/version and, per group/version, one PATCH operation
 * per kind that declares the `fieldValidation` parameter. That is what kubectl 1.32 checks before it lets
 * `apply` and `create -f` go to the server with `fieldValidation=Strict` (server-side validation).
 */
export function openApiIndex(registry: ResourceRegistry): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const hash = `r${registry.revision}`;
  paths['api/v1'] = { serverRelativeURL: `/openapi/v3/api/v1?hash=${hash}` };
  for (const group of registry.groups()) {
    for (const version of group.versions) {
      paths[`apis/${group.name}/${version}`] = { serverRelativeURL: `/openapi/v3/apis/${group.name}/${version}?hash=${hash}` };
    }
  }
  return { paths };
}

export function openApiDocument(registry: ResourceRegistry, group: string, version: string): object | undefined {
  const types = registry.typesIn(group, version);
  if (types.length === 0) return undefined;
  const paths: Record<string, object> = {};
  const schemas: Record<string, object> = {};
  for (const type of types) {
    const prefix = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    const path = type.namespaced ? `${prefix}/namespaces/{namespace}/${type.plural}/{name}` : `${prefix}/${type.plural}/{name}`;
    const gvk = { group, version, kind: type.kind };
    paths[path] = {
      patch: {
        'x-kubernetes-group-version-kind': gvk,
        'x-kubernetes-action': 'patch',
        parameters: [
          { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
        ],
      },
    };
    schemas[schemaName(type)] = {
      type: 'object',
      'x-kubernetes-group-version-kind': [gvk],
      ...(type.schema === undefined ? {} : { properties: type.schema.properties ?? {} }),
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas } };
}

function schemaName(type: ResourceType): string {
  const group = type.group === '' ? 'io.k8s.api.core' : type.group.split('.').reverse().join('.');
  return `${group}.${type.version}.${type.kind}`;
}
