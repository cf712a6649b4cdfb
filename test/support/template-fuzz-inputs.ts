/**
 * Inputs for fuzzing the template renderer (AegisOpsTemplate manifests), shared by test/template-fuzz.test.ts
 * and bench/fuzz.ts: a Workflow manifest with random Go-template actions (pipelines, builtins, range/with/if
 * blocks, variables, unterminated and nested delimiters) placed in commands, scripts, arguments, names, labels
 * and map keys, random YAML around them (flow mappings, anchors, tabs, second documents), and hostile variable
 * values. Sizes are bounded (a manifest of a few KiB), so the renderer's time per case stays small.
 */
import fc from 'fast-check';
import type { RenderResult } from '../../src/core/templates/index.js';

const variableNames = [
  'node',
  'name',
  'namespace',
  'x',
  'type',
  'status',
  'details',
  'alert',
  'missing',
  'a-b',
  '0',
];

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    'dev1',
    '',
    '; rm -rf /',
    '$(id)',
    '`id`',
    '\' "',
    '{{.node}}',
    '}}{{',
    '\n- name: injected',
    'a: b',
    '*alias',
    '&anchor',
    '../../etc/passwd',
    '\u0000',
    '\u202e',
    'x'.repeat(2_000),
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(
    fc.constantFrom('node', 'severity', '__proto__', 'constructor'),
    fc.string({ maxLength: 8 }),
    {
      maxKeys: 3,
    },
  ),
);

const field = fc.oneof(
  fc.constantFrom(...variableNames).map((name) => `.${name}`),
  fc.constantFrom('.details.node', '.alert.spec.type', '.', '$', '$x', '.node.x.y', '.Values', '$.node'),
);

const builtin = fc.constantFrom(
  'quote',
  'squote',
  'shellquote',
  'upper',
  'lower',
  'trim',
  'default "x"',
  'printf "%s-%d"',
  'len',
  'index',
  'eq',
  'not',
  'and',
  'or',
  'print',
  'println',
  'urlquery',
  'js',
  'html',
  'call',
  'toJson',
  'b64enc',
  'nosuchfunc',
);

const pipeline = fc
  .tuple(
    field,
    fc.array(fc.oneof(fc.constantFrom('quote', 'default "x"', 'lower'), builtin), { maxLength: 3 }),
  )
  .map(([head, functions]) => [head, ...functions].join(' | '));

/** One Go-template fragment: a well-formed action most of the time, broken pieces some of the time. */
const action: fc.Arbitrary<string> = fc.letrec<{ fragment: string }>((tie) => ({
  fragment: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 12 }).map((text) => text.replaceAll('{', '').replaceAll('}', '')),
    pipeline.map((p) => `{{${p}}}`),
    pipeline.map((p) => `{{- ${p} -}}`),
    fc.tuple(pipeline, tie('fragment')).map(([p, body]) => `{{if ${p}}}${body}{{else}}x{{end}}`),
    fc.tuple(field, tie('fragment')).map(([f, body]) => `{{range $i, $v := ${f}}}${body}{{end}}`),
    fc.tuple(field, tie('fragment')).map(([f, body]) => `{{with ${f}}}${body}{{end}}`),
    fc.tuple(fc.constantFrom('$x', '$y'), pipeline).map(([v, p]) => `{{${v} := ${p}}}{{${v}}}`),
    fc.constantFrom(
      '{{',
      '}}',
      '{{}}',
      '{{ }}',
      '{{end}}',
      '{{else}}',
      '{{/* comment */}}',
      '{{/* unterminated',
      '{{{{.node}}}}',
      '{{.node',
      '{{"\\"}}',
      '{{`raw`}}',
      '{{template "x"}}',
      '{{define "x"}}y{{end}}',
      '{{block "x" .}}y{{end}}',
      '{{break}}',
      '{{printf "%v" (index .details "node")}}',
      '{{ 1.5e308 }}',
      '{{0x10}}',
      "{{'c'}}",
      '{{nil}}',
      '{{.node}}'.repeat(50),
      '{{#each .}}{{/each}}',
      '{{> partial}}',
      '{{@root}}',
      '{{../x}}',
      '{{this}}',
    ),
    fc.array(tie('fragment'), { maxLength: 3 }).map((parts) => parts.join('')),
  ),
})).fragment;

const yamlEscape = (text: string): string => JSON.stringify(text);

/** Where a fragment lands in the manifest, as YAML text: [the key it sets, the line(s)]. Mostly quoted. */
const placements: Array<[string, (fragment: string) => string]> = [
  ['command', (f) => `      command: [/bin/bash, -c, ${yamlEscape(`kubectl cordon ${f}`)}]`],
  ['command', (f) => `      command: [/bin/bash, -c, "kubectl cordon ${f.replaceAll('"', '')}"]`],
  ['args', (f) => `      args: [${yamlEscape(f)}]`],
  ['args', (f) => `      args: [${f}]`],
  ['args', (f) => `      args:\n      - ${yamlEscape(f)}`],
  ['env', (f) => `      env:\n      - name: NODE\n        value: ${yamlEscape(f)}`],
  ['image', (f) => `      image: ${yamlEscape(`registry/${f}`)}`],
  ['image', (f) => `      image: ${f}`],
  ['key', (f) => `      ${f}: value`],
  ['source', (f) => `      source: |\n        echo ${f.replaceAll('\n', ' ')}`],
];

const canonicalHead = (name: string): string => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: ${name}
  labels:
    node: '{{.node}}'
spec:
  serviceAccountName: aegis-workflow
  entrypoint: start
  templates:
  - name: start
    container:
`;

const yamlNoise = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '---\nkind: Workflow\n',
      '  x: &a [*a]\n',
      '\t- tab\n',
      'spec: {}\n',
      '  extra: {{.node}}\n',
      '  - name: second\n    script: {image: x, source: "{{.node}}"}\n',
      '%YAML 1.1\n',
      '? complex\n: key\n',
      'kind: Pod\n',
      ': :\n',
      '"unterminated\n',
    ),
  },
);

export interface TemplateFuzzCase {
  manifest: string;
  variables: Record<string, unknown>;
}

/** A manifest (at most a few KiB) with random template actions and YAML noise, and random variables. */
export const templateFuzzCases: fc.Arbitrary<TemplateFuzzCase> = fc.record({
  manifest: fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(
          fc.oneof(
            fc.constant('fix-'),
            action.map((f) => yamlEscape(f)),
          ),
          fc.uniqueArray(fc.tuple(fc.nat({ max: placements.length - 1 }), action), {
            minLength: 1,
            maxLength: 3,
            selector: ([at]) => placements[at]?.[0],
          }),
          yamlNoise,
        )
        .map(([name, placed, noise]) => {
          const lines = placed.map(([at, fragment]) => (placements[at]?.[1] ?? yamlEscape)(fragment));
          if (!placed.some(([at]) => placements[at]?.[0] === 'image'))
            lines.unshift('      image: bitnami/kubectl:latest');
          return `${canonicalHead(name)}${lines.join('\n')}\n${noise}`.slice(0, 8_192);
        }),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 400 }) },
    { weight: 1, arbitrary: action.map((fragment) => fragment.slice(0, 2_000)) },
  ),
  variables: fc.record(Object.fromEntries(variableNames.map((name) => [name, hostileValue])), {
    requiredKeys: ['node', 'name', 'x'],
  }),
});

/**
 * Why a refusal does not say what and where, or undefined when it does: every refusal names the problem, and
 * points at the manifest line unless the problem is the manifest as a whole (too long). The catch-all
 * "could not be rendered" means an internal error escaped the renderer's own checks.
 */
export function unexplainedTemplateRefusal(result: Extract<RenderResult, { ok: false }>): string | undefined {
  if (result.message.length === 0) return 'the refusal has no message';
  if (result.message.startsWith('the template could not be rendered'))
    return `internal error: ${result.message}`;
  if (result.line === undefined && !/longer than/.test(result.message)) return `no line: ${result.message}`;
  return undefined;
}
