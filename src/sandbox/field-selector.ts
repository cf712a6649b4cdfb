/**
 * Kubernetes field selectors (`?fieldSelector=`): parsing with the API server's escaping rules, the selectable
 * fields of each kind, and matching.
 */
import type { KubeObject } from './types.js';

export type FieldRequirement = { field: string; operator: '=' | '!='; value: string };

export type FieldGetter = (object: KubeObject) => string;

/** A field selector that cannot be parsed, or that names a field the kind does not support. */
export class FieldSelectorError extends Error {
  /** The resource the selector was applied to, when known (e.g. `pods`). */
  readonly resource: string | undefined;

  constructor(message: string, resource?: string) {
    super(message);
    this.name = 'FieldSelectorError';
    this.resource = resource;
  }
}

/** Splits on commas that are not escaped with a backslash; the escapes are kept for `unescapeValue`. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charAt(i);
    if (ch === '\\') i += 1;
    else if (ch === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

const operators = ['!=', '==', '='] as const;

/** Finds the first unescaped operator of a term and splits the term around it. */
function splitTerm(
  term: string,
): { field: string; operator: (typeof operators)[number]; raw: string } | undefined {
  for (let i = 0; i < term.length; i += 1) {
    if (term.charAt(i) === '\\') {
      i += 1;
      continue;
    }
    for (const operator of operators) {
      if (term.startsWith(operator, i)) {
        return { field: term.slice(0, i), operator, raw: term.slice(i + operator.length) };
      }
    }
  }
  return undefined;
}

/** Resolves `\\`, `\,` and `\=`; any other escape, or a bare `,` or `=`, is an error as in the API server. */
function unescapeValue(raw: string): string {
  let value = '';
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw.charAt(i);
    if (ch === '\\') {
      const next = raw.charAt(i + 1);
      if (next !== '\\' && next !== ',' && next !== '=') {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${next}`);
      }
      value += next;
      i += 1;
    } else if (ch === ',' || ch === '=') {
      throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${ch}`);
    } else {
      value += ch;
    }
  }
  return value;
}

/** Parses `field=value,field!=value,…` (`==` is the same as `=`). The empty string selects everything. */
export function parseFieldSelector(text: string): FieldRequirement[] {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(text)) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (parts === undefined)
      throw new FieldSelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    if (parts.field === '') {
      throw new FieldSelectorError(`invalid selector: '${text}'; field name missing in '${term}'`);
    }
    const operator = parts.operator === '!=' ? '!=' : '=';
    requirements.push({ field: parts.field, operator, value: unescapeValue(parts.raw) });
  }
  return requirements;
}

/** Escapes a value so that `parseFieldSelector` reads it back unchanged. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

// ---------------------------------------------------------------------------------------------------
// Selectable fields per kind

function read(object: KubeObject, path: readonly string[]): unknown {
  let current: unknown = object;
  for (const step of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** A string field; anything missing or not a scalar reads as `fallback`. */
function scalar(dotted: string, fallback = ''): FieldGetter {
  const path = dotted.split('.');
  return (object) => {
    const value = read(object, path);
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return fallback;
  };
}

/** Go zero values: a missing bool reads "false" and a missing integer "0", as the API server prints them. */
const bool = (dotted: string): FieldGetter => scalar(dotted, 'false');
const integer = (dotted: string): FieldGetter => scalar(dotted, '0');

const common: [string, FieldGetter][] = [
  ['metadata.name', scalar('metadata.name')],
  ['metadata.namespace', scalar('metadata.namespace')],
];

const eventFields = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

const kindFields: Record<string, [string, FieldGetter][]> = {
  Pod: [
    ['spec.nodeName', scalar('spec.nodeName')],
    ['spec.restartPolicy', scalar('spec.restartPolicy')],
    ['spec.schedulerName', scalar('spec.schedulerName')],
    ['spec.serviceAccountName', scalar('spec.serviceAccountName')],
    ['spec.hostNetwork', bool('spec.hostNetwork')],
    ['status.phase', scalar('status.phase')],
    ['status.podIP', scalar('status.podIP')],
    ['status.nominatedNodeName', scalar('status.nominatedNodeName')],
  ],
  Node: [['spec.unschedulable', bool('spec.unschedulable')]],
  Event: [
    ...eventFields.map((name): [string, FieldGetter] => [
      `involvedObject.${name}`,
      scalar(`involvedObject.${name}`),
    ]),
    ['reason', scalar('reason')],
    ['reportingComponent', scalar('reportingComponent')],
    ['source', scalar('source.component')],
    ['type', scalar('type')],
  ],
  // events.k8s.io/v1 names the object `regarding` (the API server converts these labels to core/v1's).
  'events.k8s.io/Event': [
    ...eventFields.map((name): [string, FieldGetter] => [`regarding.${name}`, scalar(`regarding.${name}`)]),
    ['reason', scalar('reason')],
    ['reportingController', scalar('reportingController')],
    ['type', scalar('type')],
  ],
  Secret: [['type', scalar('type')]],
  Namespace: [['status.phase', scalar('status.phase')]],
  ReplicaSet: [['status.replicas', integer('status.replicas')]],
  ReplicationController: [['status.replicas', integer('status.replicas')]],
  Job: [['status.successful', integer('status.successful')]],
};

const cache = new Map<string, Map<string, FieldGetter>>();

/**
 * The selectable fields of a kind (core/v1 names; `Event` means core/v1 Event). Every kind, including custom
 * resources and unknown kinds, supports `metadata.name` and `metadata.namespace`. The map is shared: do not modify it.
 */
export function fieldGetterFor(kind: string): Map<string, FieldGetter> {
  let getters = cache.get(kind);
  if (getters === undefined) {
    getters = new Map([...common, ...(Object.hasOwn(kindFields, kind) ? (kindFields[kind] ?? []) : [])]);
    cache.set(kind, getters);
  }
  return getters;
}

/** Throws the API server's error when a requirement names a field the kind does not support. */
export function checkFieldSelector(
  requirements: readonly FieldRequirement[],
  getters: ReadonlyMap<string, FieldGetter>,
  resourceLabel: string,
): void {
  for (const { field } of requirements) {
    if (!getters.has(field)) {
      const supported = [...getters.keys()].map((name) => `"${name}"`).join(', ');
      throw new FieldSelectorError(
        `"${field}" is not a known field selector: only ${supported}`,
        resourceLabel,
      );
    }
  }
}

/** True when every requirement holds. A field without a getter reads as "" (call `checkFieldSelector` first). */
export function matchesFieldSelector(
  requirements: readonly FieldRequirement[],
  object: KubeObject,
  getters: ReadonlyMap<string, FieldGetter>,
): boolean {
  return requirements.every(({ field, operator, value }) => {
    const actual = getters.get(field)?.(object) ?? '';
    return operator === '=' ? actual === value : actual !== value;
  });
}
