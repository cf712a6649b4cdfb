import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { resourceTypesOfCrd, validateCrd } from '../admission/crd-definition.js';
import type { KubeObject } from '../types.js';

const load = async (file: string): Promise<KubeObject> =>
  YAML.parse(await readFile(join(dirname(fileURLToPath(import.meta.url)), file), 'utf8')) as KubeObject;

describe('bundled CRDs', () => {
  it('serves Argo workflows like upstream: wf, no status subresource, Status/Age/Message columns', async () => {
    const crd = await load('argo-workflows.yaml');
    expect(validateCrd(crd)).toEqual([]);
    const [type, ...others] = resourceTypesOfCrd(crd);
    expect(others).toEqual([]);
    expect(type).toMatchObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      plural: 'workflows',
      kind: 'Workflow',
      namespaced: true,
      shortNames: ['wf'],
      statusSubresource: false,
    });
    expect(type?.printerColumns?.map((c) => [c.name, c.type, c.jsonPath, c.priority ?? 0])).toEqual([
      ['Status', 'string', '.status.phase', 0],
      ['Age', 'date', '.status.startedAt', 0],
      ['Message', 'string', '.status.message', 1],
    ]);
    expect(type?.schema?.required).toEqual(['metadata', 'spec']);
  });

  it('serves Kubeflow PyTorchJobs with a status subresource and State/Age columns', async () => {
    const crd = await load('kubeflow-pytorchjobs.yaml');
    expect(validateCrd(crd)).toEqual([]);
    const [type] = resourceTypesOfCrd(crd);
    expect(type).toMatchObject({
      group: 'kubeflow.org',
      version: 'v1',
      kind: 'PyTorchJob',
      statusSubresource: true,
    });
    expect(type?.printerColumns?.map((c) => [c.name, c.jsonPath])).toEqual([
      ['State', '.status.conditions[-1:].type'],
      ['Age', '.metadata.creationTimestamp'],
    ]);
  });
});
