/**
 * Random and malformed Aegis custom resources for `kubectl apply` against the sandbox (test/crd-fuzz.test.ts,
 * bench/fuzz.ts). Each case is one object and what the API server must answer: a valid object applies; an
 * invalid one is refused with an error that names the field at fault (its path, as Kubernetes prints it).
 *
 * Mutations, one per case: a required field left out, a field of the wrong type, a value outside an enum, an
 * unknown field, an invalid metadata.name, a huge string (over the 256 KiB that client-side apply's
 * last-applied annotation may hold), and valid objects with random values.
 */
import fc from 'fast-check';

type FieldType = 'string' | 'integer' | 'boolean' | 'object' | 'array';

interface Field {
  /** Path below the object root, e.g. ['spec', 'opsTemplate', 'name'] or ['spec', 'alertConditions', 0, 'type']. */
  path: Array<string | number>;
  type: FieldType;
  required?: boolean;
  enum?: string[];
}

interface KindShape {
  kind: string;
  plural: string;
  /** A valid spec, built from random strings. */
  spec: (text: string, number: number) => Record<string, unknown>;
  fields: Field[];
  /** Objects where an unknown field is refused (the schema does not preserve unknown fields there). */
  strictObjects: Array<Array<string | number>>;
}

const selector = (text: string): Record<string, unknown> => ({ matchLabels: { team: text } });

export const crdKinds: KindShape[] = [
  {
    kind: 'AegisAlertOpsRule',
    plural: 'aegisalertopsrules',
    spec: (text, number) => ({
      selector: selector(text),
      alertConditions: [{ type: text, status: 'Firing' }],
      opsTemplate: {
        kind: 'AegisOpsTemplate',
        apiVersion: 'aegis.io/v1alpha1',
        namespace: 'default',
        name: text,
      },
      approval: {
        required: true,
        approvers: [text],
        minApprovals: number,
        timeout: '30m',
        allowSelfApproval: false,
      },
    }),
    fields: [
      { path: ['spec', 'alertConditions'], type: 'array', required: true },
      { path: ['spec', 'alertConditions', 0, 'type'], type: 'string', required: true },
      { path: ['spec', 'alertConditions', 0, 'status'], type: 'string', required: true },
      { path: ['spec', 'opsTemplate'], type: 'object', required: true },
      { path: ['spec', 'opsTemplate', 'name'], type: 'string', required: true },
      { path: ['spec', 'opsTemplate', 'kind'], type: 'string', enum: ['AegisOpsTemplate'] },
      { path: ['spec', 'opsTemplate', 'namespace'], type: 'string' },
      { path: ['spec', 'approval', 'required'], type: 'boolean' },
      { path: ['spec', 'approval', 'approvers'], type: 'array' },
      { path: ['spec', 'approval', 'minApprovals'], type: 'integer' },
      { path: ['spec', 'approval', 'allowSelfApproval'], type: 'boolean' },
      { path: ['spec', 'selector', 'matchLabels'], type: 'object' },
    ],
    strictObjects: [['spec'], ['spec', 'opsTemplate'], ['spec', 'approval'], ['spec', 'alertConditions', 0]],
  },
  {
    kind: 'AegisOpsTemplate',
    plural: 'aegisopstemplates',
    spec: (text) => ({
      manifest: `apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: x-\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    container: {image: busybox, command: [echo, ${JSON.stringify(text)}]}\n`,
      generateName: 'fix-',
      namespace: 'default',
    }),
    fields: [
      { path: ['spec', 'manifest'], type: 'string', required: true },
      { path: ['spec', 'generateName'], type: 'string' },
      { path: ['spec', 'namespace'], type: 'string' },
    ],
    strictObjects: [['spec']],
  },
  {
    kind: 'AegisDiagnosis',
    plural: 'aegisdiagnosises',
    spec: (text, number) => ({
      object: { kind: 'Node', name: text, node: text },
      timeout: '5m',
      ttlStrategy: { secondsAfterCompletion: number },
      language: text,
    }),
    fields: [
      { path: ['spec', 'object'], type: 'object', required: true },
      {
        path: ['spec', 'object', 'kind'],
        type: 'string',
        required: true,
        enum: ['Node', 'Pod', 'PyTorchJob', 'PytorchJob', 'Workflow'],
      },
      { path: ['spec', 'object', 'name'], type: 'string', required: true },
      { path: ['spec', 'object', 'node'], type: 'string' },
      { path: ['spec', 'ttlStrategy', 'secondsAfterCompletion'], type: 'integer' },
      { path: ['spec', 'language'], type: 'string' },
    ],
    strictObjects: [['spec'], ['spec', 'object'], ['spec', 'ttlStrategy']],
  },
  {
    kind: 'AegisNodeHealthCheck',
    plural: 'aegisnodehealthchecks',
    spec: (text, number) => ({
      node: text,
      ruleConfigmapSelector: selector(text),
      template: { metadata: { labels: { app: 'check' } } },
      schedule: '*/5 * * * *',
      timeout: number,
    }),
    fields: [
      { path: ['spec', 'node'], type: 'string', required: true },
      { path: ['spec', 'template'], type: 'object', required: true },
      { path: ['spec', 'schedule'], type: 'string' },
      { path: ['spec', 'timeout'], type: 'integer' },
      { path: ['spec', 'ruleConfigmapSelector', 'matchLabels'], type: 'object' },
    ],
    strictObjects: [['spec']],
  },
  {
    kind: 'AegisClusterHealthCheck',
    plural: 'aegisclusterhealthchecks',
    spec: (text, number) => ({
      schedule: '0 * * * *',
      timeout: number,
      ruleConfigmapSelector: selector(text),
      template: { metadata: { labels: { app: 'check' } } },
    }),
    fields: [
      { path: ['spec', 'template'], type: 'object', required: true },
      { path: ['spec', 'schedule'], type: 'string' },
      { path: ['spec', 'timeout'], type: 'integer' },
      { path: ['spec', 'ruleConfigmapSelector', 'matchLabels'], type: 'object' },
    ],
    strictObjects: [['spec']],
  },
];

/** A path as Kubernetes prints it: spec.alertConditions[0].type. */
export function printPath(path: ReadonlyArray<string | number>): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}

export type CrdExpectation =
  | { valid: true }
  | {
      valid: false;
      mutation: string;
      path: string;
      /** The error must contain one of these. */ mentions: string[];
    };

export interface CrdFuzzCase {
  kind: string;
  plural: string;
  object: Record<string, unknown>;
  expect: CrdExpectation;
}

/** Label-value-safe text (so a valid case stays valid when the text lands in matchLabels). */
const safeText = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,30}[a-z0-9])?$/);
/** Any text for string fields that have no pattern: unicode, quotes, newlines, YAML and JSON syntax. */
const anyText = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.constantFrom(
    '{{.node}}',
    "'; drop",
    '"\n- x: y',
    '---',
    '*a',
    '&a',
    '\u202e',
    'null',
    'true',
    '1e3',
    '{}',
    '[]',
  ),
);

const wrongValue = (type: FieldType): fc.Arbitrary<unknown> => {
  const byType: Record<FieldType, fc.Arbitrary<unknown>> = {
    string: fc.oneof(fc.integer(), fc.boolean(), fc.constant({ a: 1 }), fc.constant(['x'])),
    integer: fc.oneof(fc.string({ maxLength: 5 }), fc.boolean(), fc.constant({ a: 1 }), fc.constant(1.5)),
    boolean: fc.oneof(fc.constantFrom('true', 'yes', ''), fc.integer(), fc.constant([true])),
    object: fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean()),
    array: fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant({ a: 1 })),
  };
  return byType[type];
};

function setPath(
  object: Record<string, unknown>,
  path: ReadonlyArray<string | number>,
  value: unknown,
): void {
  let node: Record<string | number, unknown> = object;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (last === undefined) return;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

type Mutation = (object: Record<string, unknown>) => CrdExpectation;

function mutations(shape: KindShape): fc.Arbitrary<Mutation> {
  const required = shape.fields.filter((field) => field.required === true);
  const enums = shape.fields.filter((field) => field.enum !== undefined);
  const options: Array<fc.Arbitrary<Mutation>> = [
    fc.constant(() => ({ valid: true })),
    fc.constantFrom(...required).map((field) => (object: Record<string, unknown>) => {
      setPath(object, field.path, undefined);
      const path = printPath(field.path);
      return { valid: false, mutation: 'missing', path, mentions: [`${path}: Required value`] };
    }),
    fc
      .constantFrom(...shape.fields)
      .chain((field) => wrongValue(field.type).map((value) => ({ field, value })))
      .map(({ field, value }) => (object: Record<string, unknown>) => {
        setPath(object, field.path, value);
        const path = printPath(field.path);
        return {
          valid: false,
          mutation: `wrong type (${field.type})`,
          path,
          // An object where a scalar belongs has no schema for its keys, so strict decoding names them as
          // unknown fields below the path (as a real API server does: pruning runs before validation).
          mentions: [`${path}: Invalid value`, `unknown field "${path}.`],
        };
      }),
    fc
      .tuple(fc.constantFrom(...shape.strictObjects), fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,15}$/))
      .map(([at, key]) => (object: Record<string, unknown>) => {
        const field = `zz${key}`;
        setPath(object, [...at, field], 'unexpected');
        const path = printPath([...at, field]);
        return { valid: false, mutation: 'unknown field', path, mentions: [`unknown field "${path}"`] };
      }),
    fc
      .constantFrom('Upper', 'under_score', '-dash', 'dot.', 'x'.repeat(254), 'sp ace', 'ü')
      .map((name) => (object: Record<string, unknown>) => {
        setPath(object, ['metadata', 'name'], name);
        return {
          valid: false,
          mutation: 'invalid name',
          path: 'metadata.name',
          mentions: ['metadata.name: Invalid value'],
        };
      }),
    fc
      .tuple(
        fc.constantFrom(
          ...shape.fields.filter((field) => field.type === 'string' && field.enum === undefined),
        ),
        fc.integer({ min: 300 * 1024, max: 3_500 * 1024 }),
      )
      .map(([field, size]) => (object: Record<string, unknown>) => {
        setPath(object, field.path, 'x'.repeat(size));
        return {
          valid: false,
          mutation: `huge string (${size} characters)`,
          path: printPath(field.path),
          // Client-side apply keeps the whole object in an annotation (256 KiB at most); past 3 MiB the request
          // itself is refused.
          mentions: ['metadata.annotations: Too long', 'Request entity too large'],
        };
      }),
  ];
  if (enums.length > 0) {
    options.push(
      fc
        .tuple(fc.constantFrom(...enums), fc.stringMatching(/^[A-Za-z]{1,12}$/))
        .filter(([field, value]) => !(field.enum ?? []).includes(value))
        .map(([field, value]) => (object: Record<string, unknown>) => {
          setPath(object, field.path, value);
          const path = printPath(field.path);
          return { valid: false, mutation: 'not in enum', path, mentions: [`${path}: Unsupported value`] };
        }),
    );
  }
  return fc.oneof(...options);
}

/** One case: a kind, a valid object with random values, then at most one mutation. `index` makes names unique. */
export function crdFuzzCase(index: number): fc.Arbitrary<CrdFuzzCase> {
  return fc
    .constantFrom(...crdKinds)
    .chain((shape) =>
      fc.tuple(fc.constant(shape), safeText, anyText, fc.integer({ min: 1, max: 5 }), mutations(shape)),
    )
    .map(([shape, label, text, number, mutate]) => {
      const spec = shape.spec(label, number);
      // Free-text string fields (no pattern, not in a label) take any text.
      if (shape.kind === 'AegisDiagnosis') (spec['object'] as Record<string, unknown>)['name'] = text;
      if (shape.kind === 'AegisNodeHealthCheck') spec['node'] = text;
      const object: Record<string, unknown> = {
        apiVersion: 'aegis.io/v1alpha1',
        kind: shape.kind,
        metadata: { name: `fuzz-${index}`, namespace: 'default' },
        spec,
      };
      return { kind: shape.kind, plural: shape.plural, object, expect: mutate(object) };
    });
}
