/** Server-side printing (`kubectl get`): Tables for built-in kinds and for custom resources' printer columns. */
export { buildTable, type BuildTableOptions, type IncludeObject } from './build-table.js';
export { builtinConverter } from './builtin-columns.js';
export { converterForPrinterColumns } from './printer-columns.js';
export { ageSince, humanDuration } from './human-duration.js';
export type { TableCell, TableColumnDefinition, TableConverter, TableRowCondition } from './table-types.js';
