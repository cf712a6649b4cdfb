/**
 * Every example in examples/: its YAML is accepted by the zod schemas and by the generated CRD schemas (as the
 * API server would admit it), each alert payload matches exactly the rule of its example (anchored types), and
 * each template renders with its alert into the Workflow the README promises. (The end-to-end run on the
 * sandbox lives with the ops-loop tests.)
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { crdInstallDirectory } from '../scripts/generate-crds.js';
import { buildAegisAlertObject, type Alert } from '../src/core/alerts/index.js';
import { crdDefinitions, type CrdDefinition } from '../src/core/resources/index.js';
import { RuleIndex } from '../src/core/rules/index.js';
import { buildTemplateVariables, renderOpsTemplate } from '../src/core/templates/index.js';
import { validateCustomResource } from '../src/sandbox/schema/index.js';
import {
  parseAlertmanagerPayload,
  parseCustomPayload,
  recogniseKnownFormat,
} from '../src/webhooks/formats/index.js';

type Resource = Parameters<typeof validateCustomResource>[0];
type CrdSchema = Parameters<typeof validateCustomResource>[1];

const examplesDirectory = fileURLToPath(new URL('../examples/', import.meta.url));

interface Example {
  folder: string;
  /** Alert payload files (relative to examples/) and the rule each must match. */
  alerts: { file: string; rule: string; command: RegExp }[];
}

const examples: Example[] = [
  {
    folder: 'cordon-on-emergency',
    alerts: [
      {
        file: 'alerts/custom-node-firing.json',
        rule: 'nodehasemergencyevent',
        command: /kubectl cordon dev1\n/,
      },
    ],
  },
  {
    folder: 'drop-caches',
    alerts: [
      {
        file: 'drop-caches/alert.json',
        rule: 'drop-caches',
        command: /echo 3 > \/proc\/sys\/vm\/drop_caches/,
      },
    ],
  },
  {
    folder: 'gpu-node-shielding',
    alerts: [
      {
        file: 'gpu-node-shielding/alert-critical.json',
        rule: 'node-critical-issue',
        command: /kubectl cordon gpu-node-7\n/,
      },
      {
        file: 'gpu-node-shielding/alert-disappeared.json',
        rule: 'node-critical-issue-disappeared',
        command: /kubectl uncordon gpu-node-7\n/,
      },
    ],
  },
];

async function documents(folder: string): Promise<Resource[]> {
  const resources: Resource[] = [];
  for (const file of ['rule.yaml', 'template.yaml']) {
    const text = await readFile(join(examplesDirectory, folder, file), 'utf8');
    for (const document of YAML.parseAllDocuments(text)) resources.push(document.toJS() as Resource);
  }
  return resources;
}

function definitionOf(kind: string | undefined): CrdDefinition {
  const definition = crdDefinitions.find((candidate) => candidate.kind === kind);
  if (definition === undefined) throw new Error(`no CRD for kind ${kind}`);
  return definition;
}

async function crdSchemaOf(kind: string | undefined): Promise<CrdSchema> {
  const file = join(crdInstallDirectory(), `aegis.io_${definitionOf(kind).plural}.yaml`);
  const crd = YAML.parse(await readFile(file, 'utf8')) as {
    spec: { versions: { schema: { openAPIV3Schema: CrdSchema } }[] };
  };
  return crd.spec.versions[0]!.schema.openAPIV3Schema;
}

async function alertOf(file: string): Promise<Alert> {
  const body = JSON.parse(await readFile(join(examplesDirectory, file), 'utf8')) as unknown;
  const result =
    recogniseKnownFormat(body) === 'alertmanager' ? parseAlertmanagerPayload(body) : parseCustomPayload(body);
  expect(result.refused).toEqual([]);
  expect(result.accepted).toHaveLength(1);
  return result.accepted[0]!.alert;
}

describe('examples/', () => {
  it('lists every example folder in examples/README.md, each with a README (but the canonical one)', async () => {
    const readme = await readFile(join(examplesDirectory, 'README.md'), 'utf8');
    const folders = (await readdir(examplesDirectory, { withFileTypes: true })).filter((entry) =>
      entry.isDirectory(),
    );
    for (const folder of folders) expect(readme).toContain(`\`${folder.name}/\``);
    expect(folders.map((folder) => folder.name).sort()).toEqual(
      // healthchecks/ holds no alert and rule: test/health-checks-examples.test.ts runs it on the sandbox.
      // diagnosis/ holds no rule either: test/diagnosis-e2e.test.ts applies it to the sandbox.
      ['alerts', 'diagnosis', 'healthchecks', ...examples.map((example) => example.folder)].sort(),
    );
    for (const example of examples.filter((candidate) => candidate.folder !== 'cordon-on-emergency')) {
      await expect(readFile(join(examplesDirectory, example.folder, 'README.md'), 'utf8')).resolves.toContain(
        '## Run it',
      );
    }
  });

  describe.each(examples.map((example) => [example.folder, example] as const))('%s', (folder, example) => {
    it('is accepted by the zod schemas and the CRD schemas', async () => {
      const resources = await documents(folder);
      expect(resources.length).toBeGreaterThanOrEqual(2);
      for (const resource of resources) {
        const definition = definitionOf(resource.kind);
        const parsed = definition.objectSchema.safeParse(resource);
        expect(
          parsed.success,
          `${folder} ${resource.kind} ${resource.metadata.name}: ${JSON.stringify(parsed.error?.issues)}`,
        ).toBe(true);
        const admission = validateCustomResource(resource, await crdSchemaOf(resource.kind), {
          fieldValidation: 'Strict',
        });
        expect(admission.causes, `${folder} ${resource.metadata.name}`).toEqual([]);
        expect(admission.unknownFields, `${folder} ${resource.metadata.name}`).toEqual([]);
      }
    });

    it('matches each alert to exactly its rule and renders the template with it', async () => {
      const resources = await documents(folder);
      const index = new RuleIndex();
      // Rules of every example at once: an alert must not match another example's rule either.
      for (const other of examples) {
        for (const resource of await documents(other.folder)) {
          if (resource.kind !== 'AegisAlertOpsRule') continue;
          const result = index.upsert({
            ...resource,
            metadata: { namespace: 'monitoring', ...resource.metadata },
          });
          expect(result).toMatchObject({ ok: true });
        }
      }
      for (const expected of example.alerts) {
        const alert = await alertOf(expected.file);
        const { object } = buildAegisAlertObject(alert, {
          namespace: 'monitoring',
          systemParameters: { cluster: 'dev' },
          ttl: {},
          now: '2026-03-05T10:00:05Z',
        });
        const match = index.match({ type: alert.type, status: alert.status, labels: object.metadata.labels });
        expect(match.kind, expected.file).toBe('matched');
        if (match.kind !== 'matched') continue;
        expect(match.rule.name).toBe(expected.rule);
        const template = resources.find(
          (resource) =>
            resource.kind === 'AegisOpsTemplate' && resource.metadata.name === match.templateRef.name,
        );
        expect(template, `template ${match.templateRef.name}`).toBeDefined();
        const variables = buildTemplateVariables({
          ...object,
          metadata: { ...object.metadata, name: `${object.metadata.generateName}x7k2p` },
        });
        const manifest = (template!.spec as { manifest: string }).manifest;
        const rendered = renderOpsTemplate(manifest, variables);
        if (!rendered.ok) throw new Error(`${expected.file}: ${rendered.reason} ${rendered.message}`);
        expect(rendered.workflow).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow' });
        expect(
          rendered.scripts.some((script) => expected.command.test(script)),
          rendered.scripts.join('\n---\n'),
        ).toBe(true);
        expect(rendered.digest).toMatch(/^[0-9a-f]{64}$/);
      }
    });
  });

  it('drop-caches pins a privileged pod to the alerting node', async () => {
    const template = (await documents('drop-caches')).find(
      (resource) => resource.kind === 'AegisOpsTemplate',
    )!;
    const alert = await alertOf('drop-caches/alert.json');
    const { object } = buildAegisAlertObject(alert, {
      namespace: 'monitoring',
      systemParameters: {},
      ttl: {},
      now: '2026-03-05T10:00:05Z',
    });
    const rendered = renderOpsTemplate(
      (template.spec as { manifest: string }).manifest,
      buildTemplateVariables({ ...object, metadata: { ...object.metadata, name: 'a' } }),
    );
    if (!rendered.ok) throw new Error(rendered.message);
    expect(rendered.workflow).toMatchObject({
      spec: {
        serviceAccountName: 'aegis-workflow',
        templates: [
          {
            nodeSelector: { 'kubernetes.io/hostname': 'dev2' },
            tolerations: [{ operator: 'Exists' }],
            container: { securityContext: { privileged: true } },
          },
        ],
      },
    });
  });

  it('gpu-node-shielding: NodeCriticalIssue never matches NodeCriticalIssueDisappeared (anchored types)', async () => {
    const index = new RuleIndex();
    for (const resource of await documents('gpu-node-shielding')) {
      if (resource.kind === 'AegisAlertOpsRule') index.upsert(resource);
    }
    const critical = index.match({ type: 'NodeCriticalIssue', status: 'Firing' });
    const disappeared = index.match({ type: 'NodeCriticalIssueDisappeared', status: 'Firing' });
    expect(critical.kind === 'matched' && critical.rule.name).toBe('node-critical-issue');
    expect(disappeared.kind === 'matched' && disappeared.rule.name).toBe('node-critical-issue-disappeared');
    expect(index.match({ type: 'NodeCriticalIssueX', status: 'Firing' }).kind).toBe('none');
  });
});

describe('examples/*/README.md', () => {
  it('runs the CLI as `npm run aegis --` (a bare `aegis` is not on the PATH after setup)', async () => {
    const root = fileURLToPath(new URL('../examples/', import.meta.url));
    const bare: string[] = [];
    for (const entry of await readdir(root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const text = await readFile(join(root, entry.name, 'README.md'), 'utf8').catch(() => '');
      text.split('\n').forEach((line, index) => {
        if (
          /(^\s*|`)aegis (serve|sandbox|alert|approve|reject|rule|template|chat|diagnose|check)\b/.test(line)
        )
          bare.push(`${entry.name}/README.md:${index + 1}: ${line.trim()}`);
      });
    }
    expect(bare).toEqual([]);
  });
});
