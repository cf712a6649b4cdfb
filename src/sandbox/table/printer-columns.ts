import type { PrinterColumn } from '../types.js';
import { creationTimestampDescription, objectMetaNameDescription } from './column-descriptions.js';
import { parseJsonPath, type JsonPath } from './json-path.js';
import { jsonPathCell } from './json-path-cell.js';
import { column, type TableCell, type TableConverter } from './table-types.js';

/** apiextensions' `serveDefaultColumnsIfEmpty`: a CRD without printer columns gets one `Age` column. */
const defaultColumns: PrinterColumn[] = [
  {
    name: 'Age',
    type: 'date',
    jsonPath: '.metadata.creationTimestamp',
    description: creationTimestampDescription,
  },
];

/** Returns no result for every object: the server's answer for a column whose path does not parse. */
const emptyPath = (source: string): JsonPath => ({ source, find: () => [] });

function compile(source: string): JsonPath {
  try {
    return parseJsonPath(source);
  } catch {
    return emptyPath(source);
  }
}

/**
 * The custom-resource table convertor: an implicit `Name` column, then the CRD's `additionalPrinterColumns`
 * (or the default `Age` column when there are none), each read by its JSONPath.
 */
export function converterForPrinterColumns(columns: PrinterColumn[] | undefined): TableConverter {
  const printerColumns = columns === undefined || columns.length === 0 ? defaultColumns : columns;
  const paths = printerColumns.map((printerColumn) => compile(printerColumn.jsonPath));
  return {
    columnDefinitions: [
      column('Name', 'string', objectMetaNameDescription, { format: 'name' }),
      ...printerColumns.map((printerColumn) =>
        column(printerColumn.name, printerColumn.type, printerColumn.description ?? '', {
          format: printerColumn.format ?? '',
          priority: printerColumn.priority ?? 0,
        }),
      ),
    ],
    cells(object, now): TableCell[] {
      return [
        object.metadata.name ?? '',
        ...printerColumns.map((printerColumn, index) => {
          const path = paths[index];
          return path === undefined ? null : jsonPathCell(path, printerColumn.type, object, now);
        }),
      ];
    },
  };
}
