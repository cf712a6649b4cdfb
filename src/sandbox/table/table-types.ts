import type { KubeObject } from '../types.js';

/** One `meta.k8s.io/v1` TableColumnDefinition; every field is always serialised, as the real server does. */
export interface TableColumnDefinition {
  readonly name: string;
  /** OpenAPI type: `string`, `integer`, `number`, `boolean` or `date`. */
  readonly type: string;
  /** e.g. `name` for the Name column, `date-time`, or empty. */
  readonly format: string;
  readonly description: string;
  /** 0 is shown by default; kubectl shows higher priorities only with `-o wide`. */
  readonly priority: number;
}

/** A cell as it goes on the wire: kubectl prints strings and numbers as they are and `null` as blank. */
export type TableCell = string | number | boolean | null;

/** `meta.k8s.io/v1` TableRowCondition (the server marks finished pods `Completed`). */
export interface TableRowCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

/** How one kind prints: its columns and a function giving one row's cells (one per column, wide ones included). */
export interface TableConverter {
  readonly columnDefinitions: readonly TableColumnDefinition[];
  cells(object: KubeObject, now: Date): TableCell[];
  rowConditions?(object: KubeObject): TableRowCondition[] | undefined;
}

export function column(
  name: string,
  type: string,
  description: string,
  extra: { format?: string; priority?: number } = {},
): TableColumnDefinition {
  return { name, type, format: extra.format ?? '', description, priority: extra.priority ?? 0 };
}
