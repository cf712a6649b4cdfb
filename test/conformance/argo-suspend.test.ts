/**
 * The sandbox's Argo simulation honours `spec.suspend` as Argo does: a Workflow created suspended is Running
 * but starts no step (no pod) until it is resumed by clearing `spec.suspend` (`argo resume` sets it to null,
 * Aegis patches it to false); a suspended Workflow deleted never runs. Aegis's approval gate relies on this.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, mergePatch, startFixture, type SandboxFixture } from './sandbox-fixture.js';

const group = 'argoproj.io';
const version = 'v1alpha1';
const plural = 'workflows';
const namespace = 'default';
let fixture: SandboxFixture;

beforeAll(async () => {
  fixture = await startFixture({ nodes: 1 });
}, 60_000);

afterAll(async () => {
  await fixture?.close();
});

function workflow(name: string, suspend: boolean): Record<string, unknown> {
  return {
    apiVersion: `${group}/${version}`,
    kind: 'Workflow',
    metadata: { name, annotations: { 'sandbox.aegis.io/duration': '50ms' } },
    spec: {
      suspend,
      entrypoint: 'main',
      templates: [{ name: 'main', container: { image: 'busybox', command: ['echo', name] } }],
    },
  };
}

async function read(name: string): Promise<{ phase?: string; nodes?: Record<string, unknown> }> {
  const object = (await fixture.clients.customObjects.getNamespacedCustomObject({
    group,
    version,
    plural,
    namespace,
    name,
  })) as { status?: { phase?: string; nodes?: Record<string, unknown> } };
  return object.status ?? {};
}

async function podsOf(name: string): Promise<number> {
  const pods = await fixture.clients.core.listNamespacedPod({
    namespace,
    labelSelector: `workflows.argoproj.io/workflow=${name}`,
  });
  return pods.items.length;
}

describe('sandbox Argo: spec.suspend', () => {
  it('holds a Workflow created suspended in Running with no step, and runs it once resumed', async () => {
    await fixture.clients.customObjects.createNamespacedCustomObject({
      group,
      version,
      plural,
      namespace,
      body: workflow('held', true),
    });
    await eventually(async () => ((await read('held')).phase === 'Running' ? true : undefined));
    // Several scheduling rounds of the simulation (pending 150 ms, steps 50 ms) pass without a step.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await read('held')).toMatchObject({ phase: 'Running', nodes: {} });
    expect(await podsOf('held')).toBe(0);

    await fixture.clients.customObjects.patchNamespacedCustomObject(
      { group, version, plural, namespace, name: 'held', body: { spec: { suspend: false } } },
      mergePatch,
    );
    const done = await eventually(async () => {
      const status = await read('held');
      return status.phase === 'Succeeded' ? status : undefined;
    });
    expect(done.phase).toBe('Succeeded');
    expect(await podsOf('held')).toBe(1);
  });

  it('resumes on spec.suspend set to null, as argo resume does', async () => {
    await fixture.clients.customObjects.createNamespacedCustomObject({
      group,
      version,
      plural,
      namespace,
      body: workflow('argo-resume', true),
    });
    await eventually(async () => ((await read('argo-resume')).phase === 'Running' ? true : undefined));
    await fixture.clients.customObjects.patchNamespacedCustomObject(
      { group, version, plural, namespace, name: 'argo-resume', body: { spec: { suspend: null } } },
      mergePatch,
    );
    await eventually(async () => ((await read('argo-resume')).phase === 'Succeeded' ? true : undefined));
  });

  it('runs a Workflow without spec.suspend at once', async () => {
    await fixture.clients.customObjects.createNamespacedCustomObject({
      group,
      version,
      plural,
      namespace,
      body: workflow('free', false),
    });
    await eventually(async () => ((await read('free')).phase === 'Succeeded' ? true : undefined));
  });
});
