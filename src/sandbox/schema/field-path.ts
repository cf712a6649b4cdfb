/**
 * Field paths in the apiserver's notation: `spec.items[0].name`. The empty string is the root. A map key
 * reached through `additionalProperties` is a plain child (`spec.labels.team`), as the pruning and
 * validation code of kube-apiserver prints it.
 */

export function childPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** Appends a relative path to a prefix: `a.default` + `b[0]` is `a.default.b[0]`, + `[0]` is `a.default[0]`. */
export function joinPath(prefix: string, relative: string): string {
  if (relative === '') return prefix;
  if (prefix === '' || relative.startsWith('[')) return `${prefix}${relative}`;
  return `${prefix}.${relative}`;
}

/** A schema location inside a CRD, e.g. `openAPIV3Schema.properties[spec]`. */
export function schemaPropertyPath(parent: string, key: string): string {
  return `${parent}.properties[${key}]`;
}
