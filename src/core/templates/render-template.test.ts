import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  buildTemplateVariables,
  renderOpsTemplate,
  validateOpsTemplate,
  type RenderResult,
} from './index.js';

/** The manifest of the canonical example (issue: ops loop), exactly as users write it. */
const canonical = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
spec:
  serviceAccountName: aegis-workflow
  ttlSecondsAfterFinished: 60
  entrypoint: start
  templates:
  - name: start
    retryStrategy: {limit: 1}
    container:
      image: bitnami/kubectl:latest
      command: [/bin/bash, -c, "kubectl cordon {{.node}}"]
`;

const alert = {
  metadata: {
    name: 'default-nodehasemergencyevent-9njt4',
    namespace: 'monitoring',
    annotations: { cluster: 'dev' },
  },
  spec: {
    type: 'NodeHasEmergencyEvent',
    status: 'Firing',
    involvedObject: { kind: 'Node', name: 'dev1', node: 'dev1' },
    details: { node: 'dev1', severity: 'emergency' },
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read rendered fields freely
function workflowOf(result: RenderResult): Record<string, any> {
  if (!result.ok) throw new Error(result.message);
  return result.workflow;
}

function failureOf(result: RenderResult): Extract<RenderResult, { ok: false }> {
  if (result.ok) throw new Error('expected the render to fail');
  return result;
}

/** A minimal workflow around one script source. */
function scriptTemplate(source: string): string {
  const indented = source
    .split('\n')
    .map((line) => `        ${line}`)
    .join('\n');
  return `apiVersion: argoproj.io/v1alpha1
kind: Workflow
spec:
  entrypoint: main
  templates:
  - name: main
    script:
      image: busybox
      source: |
${indented}
`;
}

describe('renderOpsTemplate: the canonical example', () => {
  const result = renderOpsTemplate(canonical, buildTemplateVariables(alert));

  it('renders kubectl cordon dev1 into the container command', () => {
    const workflow = workflowOf(result);
    expect(workflow.spec.templates[0].container.command).toEqual(['/bin/bash', '-c', 'kubectl cordon dev1']);
    expect(workflow).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow' });
    expect(workflow.spec.ttlSecondsAfterFinished).toBe(60);
    expect(workflow.spec.templates[0].retryStrategy).toEqual({ limit: 1 });
  });

  it('shows exactly what will run', () => {
    expect(result.ok && result.scripts).toEqual(["/bin/bash -c 'kubectl cordon dev1'"]);
  });

  it('prints YAML that reads back as the same workflow', () => {
    if (!result.ok) throw new Error(result.message);
    expect(parse(result.yaml, { version: '1.1' })).toEqual(result.workflow);
    expect(result.yaml).toContain('kubectl cordon dev1');
  });

  it('digests the workflow: stable for the same data, different for different data', () => {
    if (!result.ok) throw new Error(result.message);
    expect(result.digest).toMatch(/^[0-9a-f]{64}$/);
    const again = renderOpsTemplate(canonical, buildTemplateVariables(alert));
    expect(again.ok && again.digest).toBe(result.digest);
    const other = renderOpsTemplate(canonical, { node: 'dev2' });
    expect(other.ok && other.digest).not.toBe(result.digest);
  });

  it('validates without variables', () => {
    expect(validateOpsTemplate(canonical)).toEqual({ ok: true });
  });
});

describe('renderOpsTemplate: YAML handling', () => {
  it('accepts the unquoted upstream form name: {{.node}}, reading numbers and quoted strings back as YAML would', () => {
    const manifest = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: {{.AlertName}}-
  labels:
    node: {{.node}} # the alerting node
spec:
  ttlSecondsAfterFinished: {{.ttl}}
  entrypoint: start
  arguments:
    parameters:
    - name: node
      value: {{ .node | quote }}
    - {name: cluster, value: "{{.cluster}}"}
  templates:
  - name: start
    container: {image: busybox, args: ["{{.node}}"]}
`;
    const workflow = workflowOf(
      renderOpsTemplate(manifest, { AlertName: 'a1', node: 'dev1', ttl: '120', cluster: 'dev' }),
    );
    expect(workflow.metadata).toEqual({ generateName: 'a1-', labels: { node: 'dev1' } });
    expect(workflow.spec.ttlSecondsAfterFinished).toBe(120);
    expect(workflow.spec.arguments.parameters).toEqual([
      { name: 'node', value: 'dev1' },
      { name: 'cluster', value: 'dev' },
    ]);
  });

  it('renders every construct inside a block script', () => {
    const manifest = scriptTemplate(
      [
        'echo {{.node}}',
        '{{if .drain}}kubectl drain {{.node}}{{else}}kubectl cordon {{.node}}{{end}}',
        '{{range .pods}}kubectl delete pod {{.}} -n {{$.namespace}}',
        '{{end}}{{with .reason}}echo {{shellquote .}}{{end}}',
        '{{- /* a comment */ -}}',
        'echo {{keep "inputs.parameters.x"}} {{if eq .node "dev1"}}first{{end}}',
      ].join('\n'),
    );
    const workflow = workflowOf(
      renderOpsTemplate(manifest, { node: 'dev1', pods: ['p1', 'p2'], namespace: 'ns', reason: 'disk full' }),
    );
    expect(workflow.spec.templates[0].script.source).toBe(
      [
        'echo dev1',
        'kubectl cordon dev1',
        'kubectl delete pod p1 -n ns',
        'kubectl delete pod p2 -n ns',
        "echo 'disk full'echo {{.inputs.parameters.x}} first",
        '',
      ].join('\n'),
    );
  });

  it('keeps anchors and aliases working, rendering the shared value', () => {
    const manifest = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
spec:
  entrypoint: a
  templates:
  - name: a
    container: &shared {image: kubectl, command: [kubectl, cordon, "{{.node}}"]}
  - name: b
    container: *shared
`;
    const workflow = workflowOf(renderOpsTemplate(manifest, { node: 'dev1' }));
    expect(workflow.spec.templates[1].container.command).toEqual(['kubectl', 'cordon', 'dev1']);
  });

  it('treats a __proto__ key as data', () => {
    const manifest = `${canonical}  __proto__: {polluted: true}\n`;
    const workflow = workflowOf(renderOpsTemplate(manifest, { node: 'dev1' }));
    expect(Object.getPrototypeOf(workflow.spec)).toBe(Object.prototype);
    expect(Object.keys(workflow.spec)).toContain('__proto__');
  });
});

describe('renderOpsTemplate: errors carry the manifest line and never throw', () => {
  it('names a missing variable and its line, never rendering an empty string', () => {
    const manifest = canonical.replace('kubectl cordon {{.node}}', 'kubectl delete pod {{.pod}}');
    const failure = failureOf(renderOpsTemplate(manifest, { node: 'dev1' }));
    expect(failure).toMatchObject({ reason: 'TemplateInvalid', line: 12, variable: 'pod' });
    expect(failure.message).toBe('variable "pod" is not defined (line 12)');
  });

  it('finds the line inside a block script, also for a repeated expression', () => {
    const manifest = scriptTemplate('echo start\n{{if .a}}{{.pod}}{{end}}\necho\n{{.pod}}');
    const failure = failureOf(renderOpsTemplate(manifest, { a: '' }));
    expect(failure).toMatchObject({ line: 13, variable: 'pod' });
  });

  it('finds the line of a nested missing field', () => {
    const manifest = scriptTemplate('echo {{.Alert.spec.nothing}}');
    const failure = failureOf(renderOpsTemplate(manifest, buildTemplateVariables(alert)));
    expect(failure.message).toBe('variable "Alert.spec.nothing" is not defined (line 10)');
  });

  it('reports YAML that does not parse', () => {
    const failure = failureOf(renderOpsTemplate('apiVersion: v1\nkind: [Workflow\nspec: {}\n', {}));
    expect(failure.reason).toBe('TemplateInvalid');
    expect(failure.message).toMatch(/^the manifest is not valid YAML: /);
    expect(failure.line).toBeGreaterThanOrEqual(2);
  });

  it('reports an unclosed {{if}} at its line', () => {
    const failure = failureOf(renderOpsTemplate(scriptTemplate('echo a\n{{if .x}}\necho b'), {}));
    expect(failure).toMatchObject({ reason: 'TemplateInvalid', line: 11 });
    expect(failure.message).toContain('{{if}} is never closed');
  });

  it('reports an unsupported Go construct at its line', () => {
    const failure = failureOf(renderOpsTemplate(scriptTemplate('echo\n{{template "x" .}}'), {}));
    expect(failure).toMatchObject({ line: 11 });
    expect(failure.message).toContain('{{template}} is not supported');
  });

  it('renders Go forms the Handlebars translation got wrong: empty-map truth, sorted range, $i $v, variables', () => {
    const manifest = scriptTemplate(
      '{{if .m}}full{{else}}empty{{end}} {{if not .m}}not{{end}}\n' +
        '{{range $k, $v := .labels}}{{$k}}={{$v}},{{end}}\n' +
        '{{$first := index .pods 0}}{{range $i, $p := .pods}}{{if $i}} {{end}}{{$i}}:{{$p}}{{end}} first={{$first}}',
    );
    const result = renderOpsTemplate(manifest, {
      m: {},
      labels: { zone: 'b', app: 'a' },
      pods: ['p1', 'p2'],
    });
    expect(result.ok && result.workflow['spec']).toMatchObject({
      templates: [{ script: { source: 'empty not\napp=a,zone=b,\n0:p1 1:p2 first=p1\n' } }],
    });
  });

  it('refuses templates in map keys', () => {
    const manifest = canonical.replace('serviceAccountName: aegis-workflow', '"{{.key}}": x');
    const failure = failureOf(renderOpsTemplate(manifest, { key: 'k', node: 'dev1' }));
    expect(failure).toMatchObject({ reason: 'TemplateInvalid', line: 4 });
    expect(failure.message).toContain('map keys must not contain templates');
  });

  it('explains an unquoted template inside a flow collection', () => {
    const manifest = canonical.replace('"kubectl cordon {{.node}}"', '{{.node}}');
    const failure = failureOf(renderOpsTemplate(manifest, { node: 'dev1' }));
    expect(failure).toMatchObject({ reason: 'TemplateInvalid', line: 12 });
    expect(failure.message).toContain("quote the value: '{{.node}}'");
  });

  it.each([
    ['apiVersion: v1\nkind: Pod\nspec: {}\n', 'apiVersion must be "argoproj.io/v1alpha1"', 1],
    ['apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nspec: {}\n', 'kind must be "Workflow"', 2],
    ['apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n', 'spec must be a mapping', 1],
    ['apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n  templates: []\n', 'spec.entrypoint', 4],
    [
      'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n  entrypoint: a\n',
      'spec.templates must be',
      4,
    ],
    [
      'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n  entrypoint: a\n  templates: [{name: b}]\n',
      'names none of spec.templates',
      4,
    ],
    ['- a\n- b\n', 'the document is not a mapping', 1],
  ])('refuses a result that is not an Argo Workflow: %s', (manifest, message, line) => {
    const failure = failureOf(renderOpsTemplate(manifest, {}));
    expect(failure.reason).toBe('TemplateInvalid');
    expect(failure.message).toContain(message);
    expect(failure.line).toBe(line);
  });

  it('accepts a workflow that refers to a WorkflowTemplate', () => {
    const manifest =
      'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n  workflowTemplateRef: {name: "{{.name}}"}\n';
    expect(workflowOf(renderOpsTemplate(manifest, { name: 'cordon' })).spec.workflowTemplateRef).toEqual({
      name: 'cordon',
    });
  });

  it('refuses several documents', () => {
    const failure = failureOf(renderOpsTemplate(`${canonical}---\n${canonical}`, { node: 'a' }));
    expect(failure).toMatchObject({ reason: 'TemplateInvalid', line: 13 });
    expect(failure.message).toContain('the manifest must be one YAML document');
  });

  it('never throws, whatever the manifest', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 20 }), (text, value) => {
        for (const manifest of [text, `${canonical}${text}`, canonical.replace('{{.node}}', text)]) {
          const result = renderOpsTemplate(manifest, { node: value });
          expect(typeof result.ok).toBe('boolean');
          if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('renderOpsTemplate: template-like noise', () => {
  it('always answers with a result, never an internal error', () => {
    const words =
      '{{ }} .node . $ - if end else range with | quote default "x" ( ) # / ~ ! eq ` \' keep shellquote';
    const more = '@root this .. /* */ := \\ x [ ] { }';
    const piece = fc.constantFrom(...words.split(' '), ...more.split(' '), ' ', '\n');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 25 }), (pieces) => {
        const text = pieces.join('');
        const inString = canonical.replace(
          'kubectl cordon {{.node}}',
          text.replaceAll('"', '\\"').replaceAll('\n', '\\n'),
        );
        for (const manifest of [inString, `${canonical}  x: ${text}\n`]) {
          const result = renderOpsTemplate(manifest, { node: 'dev1', x: 'y' });
          if (!result.ok) expect(result.message).not.toMatch(/^the template could not be rendered/);
          expect(typeof validateOpsTemplate(manifest).ok).toBe('boolean');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('validateOpsTemplate', () => {
  it('accepts templates whose variables only exist at run time', () => {
    const manifest = scriptTemplate(
      '{{range .pods}}kubectl delete pod {{.}}\n{{end}}echo {{.Alert.spec.type | quote}}',
    );
    expect(validateOpsTemplate(manifest)).toEqual({ ok: true });
  });

  it('reports syntax problems with their line', () => {
    expect(validateOpsTemplate(scriptTemplate('echo\n{{if .x}}'))).toMatchObject({ ok: false, line: 11 });
    expect(validateOpsTemplate('apiVersion: v1\nkind: Pod\n')).toMatchObject({ ok: false, line: 1 });
  });
});
