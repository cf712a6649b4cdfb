/**
 * What a payload parser returns: the alerts it accepted and, for each alert it refused, where (a JSON path such
 * as `alerts[2].labels.alertname` or `[0].involvedObject.name`) and why, in plain words. A body that is not an
 * object or array at all gives one refusal with path '' and index 0 (callers answer 400).
 */
import type { z } from 'zod';
import type { Alert } from '../../core/alerts/index.js';

export interface AcceptedAlert {
  index: number;
  alert: Alert;
}

export interface RefusedAlert {
  index: number;
  path: string;
  reason: string;
}

export interface ConversionResult {
  accepted: AcceptedAlert[];
  refused: RefusedAlert[];
}

const identifierPattern = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['alerts', 2, 'labels', 'a.b']` → `alerts[2].labels["a.b"]`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (typeof segment === 'string' && identifierPattern.test(segment))
      path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(shorten(String(segment)))}]`;
  }
  return path;
}

/** Joins a prefix path and a relative one: `('[0]', 'type')` → `[0].type`, `('', 'type')` → `type`. */
export function joinPath(prefix: string, relative: string): string {
  if (prefix === '') return relative;
  if (relative === '') return prefix;
  return relative.startsWith('[') ? `${prefix}${relative}` : `${prefix}.${relative}`;
}

/** Cuts long text (values are echoed in reasons; a sender may post megabytes). */
export function shorten(text: string, max = 64): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** A value quoted for a reason: `"active"`, cut when long. */
export function quote(text: string): string {
  return JSON.stringify(shorten(text));
}

/** 'a string', 'a number', 'an object', 'an array', 'null', ... */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    case 'undefined':
      return 'missing';
    default:
      return `a ${typeof value}`;
  }
}

const expectedWords: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  object: 'an object',
  record: 'an object',
  array: 'an array',
};

/** Zod error map giving plain-word reasons ("is required", "must be a string, not a number"). */
export const plainIssueMessage: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'is required';
    const expected = expectedWords[issue.expected] ?? issue.expected;
    return `must be ${expected}, not ${describeValue(issue.input)}`;
  }
  return undefined;
};

/** The refusal for the first zod issue, under `prefix`. */
export function refusalFromIssues(
  index: number,
  prefix: string,
  issues: readonly z.core.$ZodIssue[],
): RefusedAlert {
  const issue = issues[0];
  if (issue === undefined) return { index, path: prefix, reason: 'is not valid' };
  return { index, path: joinPath(prefix, formatPath(issue.path)), reason: issue.message };
}

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
