import type { KubeObject } from '../types.js';
import type { TableCell, TableConverter, TableRowCondition } from './table-types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface BuildTableOptions {
  now: Date;
  resourceVersion: string;
  continueToken?: string;
  includeObject: IncludeObject;
}

interface TableRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
  object: object | null;
}

/** What a row carries as `object`, per the request's `includeObject`. */
function rowObject(object: KubeObject, includeObject: IncludeObject): object | null {
  if (includeObject === 'None') return null;
  if (includeObject === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

/** A `meta.k8s.io/v1` Table of the objects, shaped as kube-apiserver sends it for `Accept: …;as=Table`. */
export function buildTable(
  converter: TableConverter,
  objects: KubeObject[],
  options: BuildTableOptions,
): object {
  const rows = objects.map((object): TableRow => {
    const conditions = converter.rowConditions?.(object);
    return {
      cells: converter.cells(object, options.now),
      ...(conditions === undefined ? {} : { conditions }),
      object: rowObject(object, options.includeObject),
    };
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      ...(options.resourceVersion === '' ? {} : { resourceVersion: options.resourceVersion }),
      ...(options.continueToken === undefined || options.continueToken === ''
        ? {}
        : { continue: options.continueToken }),
    },
    columnDefinitions: converter.columnDefinitions.map((definition) => ({ ...definition })),
    rows,
  };
}
