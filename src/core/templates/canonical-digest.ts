/**
 * The digest that ties an approval to what runs: sha256 (hex) of the workflow's canonical JSON (object keys
 * sorted at every level, no whitespace). Two renderings digest equally exactly when they are the same data.
 */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted recursively; undefined members are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function workflowDigest(workflow: unknown): string {
  return createHash('sha256').update(canonicalJson(workflow)).digest('hex');
}
