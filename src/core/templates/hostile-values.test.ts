import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildTemplateVariables, renderOpsTemplate, shellQuoteProblem, type RenderResult } from './index.js';

function workflow(command: string, extra = ''): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Workflow
spec:
  entrypoint: start
  templates:
  - name: start
    container:
      image: bitnami/kubectl:latest
      command: [/bin/sh, -c, "${command}"]
${extra}`;
}

const raw = workflow('kubectl cordon {{.node}}');
const quoted = workflow('kubectl cordon -- {{shellquote .node}}');

function commandOf(result: RenderResult): string {
  if (!result.ok) throw new Error(result.message);
  const templates = (result.workflow['spec'] as { templates: Array<{ container: { command: string[] } }> })
    .templates;
  return templates[0]?.container.command[2] ?? '';
}

/** Runs `script` with /bin/sh and returns its standard output. */
function runShell(script: string): string {
  const result = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`sh failed (${String(result.status)}): ${result.stderr}`);
  return result.stdout;
}

const hostile: Array<[string, string, string]> = [
  ['command separator', 'dev1; rm -rf /', '";"'],
  ['space', 'dev1 rm', '" " (space)'],
  ['semicolon', 'dev1;reboot', '";"'],
  ['command substitution', '$(reboot)', '"$"'],
  ['backticks', '`reboot`', '"`"'],
  ['newline', 'a\nb', '"\\n" (U+000A, a control character)'],
  ['carriage return', 'a\rb', '"\\r" (U+000D, a control character)'],
  ['tab', 'a\tb', '"\\t" (U+0009, a control character)'],
  ['pipe', 'a|b', '"|"'],
  ['and-list', 'a&&b', '"&"'],
  ['single quote', "'", `"'"`],
  ['double quote', '"', '"\\""'],
  ['backslash', 'a\\b', '"\\\\"'],
  ['redirection', 'a>/etc/passwd', '">"'],
  ['glob', 'node*', '"*"'],
  ['history expansion', '!!', '"!"'],
  ['comment', 'a#b', '"#"'],
  ['brace expansion', '{a,b}', '"{"'],
  ['fullwidth semicolon', 'dev1；rm', 'U+FF1B'],
  ['zero-width space', 'dev\u200b1', 'U+200B (an invisible zero-width character)'],
  ['right-to-left override', 'dev\u202e1', 'U+202E (a bidirectional-text control character)'],
  ['non-breaking space', 'dev\u00a01', 'U+00A0 (whitespace)'],
  ['cyrillic look-alike', 'dеv1', 'U+0435'],
  ['NUL', 'a\u0000b', '"\\u0000" (U+0000, a control character)'],
  ['YAML structure', 'x\n  - name: evil', '"\\n"'],
];

describe('raw substitution of hostile values', () => {
  it.each(hostile)('refuses %s with the reason', (_, value, reason) => {
    const result = renderOpsTemplate(raw, { node: value });
    expect(result).toMatchObject({ ok: false, reason: 'TemplateUnsafe', variable: 'node', line: 9 });
    if (result.ok) return;
    expect(result.message).toContain(`variable "node" (${JSON.stringify(value)}) contains ${reason}`);
    expect(result.message).toContain(
      'pass it through {{shellquote .node}} to use it as one quoted shell word',
    );
  });

  it('refuses a value that starts with "-", which would be read as an option', () => {
    const result = renderOpsTemplate(raw, { node: '--kubeconfig=/etc/x' });
    expect(result).toMatchObject({ ok: false, reason: 'TemplateUnsafe' });
    expect(!result.ok && result.message).toContain(
      'starts with "-" and would be read as a command-line option',
    );
  });

  it('refuses an empty value and a very long one', () => {
    expect(renderOpsTemplate(raw, { node: '' })).toMatchObject({ ok: false, reason: 'TemplateUnsafe' });
    const long = renderOpsTemplate(raw, { node: 'a'.repeat(5000) });
    expect(long).toMatchObject({ ok: false, reason: 'TemplateUnsafe' });
    expect(!long.ok && long.message).toContain('is 5000 characters long (at most 1024');
    expect(!long.ok && long.message).toContain('… (5000 characters)');
  });

  it('accepts ordinary values', () => {
    for (const node of ['dev1', 'gpu-node-17.cluster.local', '10.0.0.1:8080', 'a_b=c,d@e%f+g/h']) {
      expect(commandOf(renderOpsTemplate(raw, { node }))).toBe(`kubectl cordon ${node}`);
    }
  });

  it('does not treat quote as a shell-safe helper: "$(x)" still expands', () => {
    const result = renderOpsTemplate(workflow('echo {{.node | quote}}'), { node: '$(reboot)' });
    expect(result).toMatchObject({ ok: false, reason: 'TemplateUnsafe', variable: 'node' });
    expect(commandOf(renderOpsTemplate(workflow('echo {{quote .node}}'), { node: 'dev1' }))).toBe(
      'echo "dev1"',
    );
  });

  it('checks values wherever they are substituted, whatever the syntax', () => {
    for (const command of [
      '{{default \\"x\\" .node}}',
      '{{range .list}}{{.}}{{end}}',
      '{{range $i, $v := .list}}{{$v}}{{end}}',
      '{{with .node}}{{.}}{{end}}',
      '{{$n := .node}}{{$n}}',
      '{{index . \\"node\\"}}',
      '{{and .node}}',
      '{{or \\"\\" .node}}',
      '{{print .node}}',
      '{{printf \\"%s\\" .node}}',
      '{{.node | html}}',
      '{{slice .node 0}}',
      '{{(.node)}}',
    ]) {
      const result = renderOpsTemplate(workflow(command), { node: '$(reboot)', list: ['$(reboot)'] });
      expect(result, command).toMatchObject({ ok: false, reason: 'TemplateUnsafe' });
    }
  });

  it('refuses Handlebars forms as Go does (no such function), before any value is read', () => {
    for (const command of ['{{node}}', '{{{node}}}', '{{#if node}}x{{/if}}']) {
      const result = renderOpsTemplate(workflow(command), { node: 'dev1' });
      expect(result, command).toMatchObject({ ok: false, reason: 'TemplateInvalid' });
    }
  });

  it('checks every variable source: details, involved object, system parameters', () => {
    const base = {
      metadata: { name: 'a', namespace: 'monitoring', annotations: { cluster: 'dev' } },
      spec: {
        type: 'T',
        status: 'Firing',
        involvedObject: { kind: 'Node', name: 'n1' },
        details: { node: 'n1' },
      },
    };
    const annotated = { ...base, metadata: { ...base.metadata, annotations: { cluster: 'dev;reboot' } } };
    const result = renderOpsTemplate(
      workflow('echo {{.cluster}} {{.InvolvedObjectName}}'),
      buildTemplateVariables(annotated),
    );
    expect(result).toMatchObject({ ok: false, reason: 'TemplateUnsafe', variable: 'cluster' });
  });

  it('lets hostile values decide conditions, where nothing is substituted', () => {
    const result = renderOpsTemplate(
      workflow('{{if eq .node \\"dev1\\"}}kubectl cordon dev1{{else}}echo other{{end}}'),
      {
        node: 'dev1; rm -rf /',
      },
    );
    expect(commandOf(result)).toBe('echo other');
  });
});

describe('shellquote', () => {
  it.each(hostile.filter(([name]) => name !== 'NUL' && name !== 'right-to-left override'))(
    'turns %s into exactly one shell word',
    (_, value) => {
      const command = commandOf(
        renderOpsTemplate(workflow('set -- {{shellquote .node}}; printf %s:%s $# \\"$1\\"'), { node: value }),
      );
      expect(runShell(command)).toBe(`1:${value}`);
    },
  );

  it('writes a single quote as the POSIX sequence', () => {
    expect(commandOf(renderOpsTemplate(quoted, { node: "it's" }))).toBe("kubectl cordon -- 'it'\\''s'");
  });

  it('quotes a leading dash (one word; templates put -- before it, as shown) and long values', () => {
    expect(commandOf(renderOpsTemplate(quoted, { node: '--kubeconfig=/etc/x' }))).toBe(
      "kubectl cordon -- '--kubeconfig=/etc/x'",
    );
    expect(commandOf(renderOpsTemplate(quoted, { node: 'a'.repeat(5000) }))).toHaveLength(
      5000 + 'kubectl cordon -- '.length + 2,
    );
  });

  it('refuses what no quoting makes safe: NUL and bidirectional overrides', () => {
    for (const node of ['a\u0000b', 'dev\u202e1']) {
      expect(renderOpsTemplate(quoted, { node })).toMatchObject({
        ok: false,
        reason: 'TemplateUnsafe',
        variable: 'node',
      });
    }
  });

  it('property: for any string, sh receives exactly that string as one word', () => {
    const characters = fc
      .string({ unit: 'binary', maxLength: 40 })
      .filter((value) => shellQuoteProblem(value) === undefined);
    const tricky = fc.string({
      unit: fc.constantFrom(
        "'",
        '"',
        '\\',
        '$',
        '`',
        ' ',
        '\n',
        ';',
        '|',
        '&',
        '(',
        ')',
        '*',
        '?',
        '-',
        'a',
        '！',
        '\u200b',
      ),
      maxLength: 30,
    });
    fc.assert(
      fc.property(fc.oneof(characters, tricky), (value) => {
        const result = renderOpsTemplate(workflow('set -- {{shellquote .node}}; printf %s:%s $# \\"$1\\"'), {
          node: value,
        });
        expect(runShell(commandOf(result))).toBe(`1:${value}`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('structure safety', () => {
  const structural = 'x"\n  - name: evil\n    container: {image: evil}\nfoo: "';

  it('refuses a value that looks like YAML structure in a raw substitution', () => {
    expect(renderOpsTemplate(raw, { node: structural })).toMatchObject({
      ok: false,
      reason: 'TemplateUnsafe',
    });
  });

  it('keeps a shellquoted structural value inside one string, and the output YAML re-parses to the same structure', () => {
    const manifest = workflow(
      'echo {{shellquote .node}}',
      '  - name: second\n    container: {image: busybox, args: ["{{shellquote .node}}"]}\n',
    );
    const result = renderOpsTemplate(manifest, { node: structural });
    if (!result.ok) throw new Error(result.message);
    const reparsed = parse(result.yaml, { version: '1.1' }) as {
      spec: { templates: Array<Record<string, unknown>> };
    };
    expect(reparsed).toEqual(result.workflow);
    expect(reparsed.spec.templates.map((template) => template['name'])).toEqual(['start', 'second']);
    expect(Object.keys(reparsed)).toEqual(['apiVersion', 'kind', 'spec']);
    expect(commandOf(result)).toBe(`echo '${structural}'`);
  });

  it('property: no value changes the shape of the rendered workflow', () => {
    const manifest = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  annotations:
    reason: {{shellquote .node}}
spec:
  entrypoint: start
  templates:
  - name: start
    container: {image: busybox, command: [sh, -c, "echo {{shellquote .node}}"]}
`;
    fc.assert(
      fc.property(
        fc
          .string({ unit: 'binary', maxLength: 60 })
          .filter((value) => shellQuoteProblem(value) === undefined),
        (value) => {
          const result = renderOpsTemplate(manifest, { node: value });
          if (!result.ok) throw new Error(result.message);
          const reparsed = parse(result.yaml, { version: '1.1' }) as {
            metadata: { annotations: Record<string, unknown> };
            spec: { templates: Array<{ container: { command: unknown[] } }> };
          };
          expect(reparsed).toEqual(result.workflow);
          expect(Object.keys(reparsed.metadata.annotations)).toEqual(['reason']);
          expect(reparsed.spec.templates).toHaveLength(1);
          expect(reparsed.spec.templates[0]?.container.command).toHaveLength(3);
        },
      ),
      { numRuns: 300 },
    );
  });
});
