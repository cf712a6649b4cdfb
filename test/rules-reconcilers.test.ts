import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  createRuleMatcher,
  createRuleSource,
  createTemplateSource,
  startRuleController,
  templateResource,
} from '../src/controller/rules/index.js';
import type { MatchResult, RuleMatcher, RuleObject, TemplateObject } from '../src/controller/rules/index.js';
import type { Controller, WatchSource } from '../src/controller/runtime/index.js';
import { startTemplateController } from '../src/controller/templates/index.js';
import type { AegisAlertOpsRule, AegisOpsTemplate } from '../src/core/resources/index.js';
import {
  createCustomObjectClient,
  createKubeClients,
  installCrds,
  readCrdManifests,
} from '../src/kube/index.js';
import type { KubeClients } from '../src/kube/index.js';
import { startRedisProcess } from '../src/platform/index.js';
import type { RedisProcess } from '../src/platform/index.js';
import { startSandbox } from '../src/sandbox/index.js';
import type { SandboxHandle } from '../src/sandbox/index.js';
import { waitFor } from './controller-runtime-helpers.js';

const group = 'aegis.io';
const version = 'v1alpha1';
let sandbox: SandboxHandle;
let redis: RedisProcess;
let clients: KubeClients;
let namespace: string;
let ruleSource: WatchSource<RuleObject>;
let templateSource: WatchSource<TemplateObject>;
let matcher: RuleMatcher;
const controllers: Controller[] = [];

async function example<T>(file: string): Promise<T> {
  return parse(
    await readFile(new URL(`../examples/cordon-on-emergency/${file}`, import.meta.url), 'utf8'),
  ) as T;
}

async function getRule(name: string): Promise<AegisAlertOpsRule> {
  return (await clients.customObjects.getNamespacedCustomObject({
    group,
    version,
    namespace,
    plural: 'aegisalertopsrules',
    name,
  })) as AegisAlertOpsRule;
}

async function getTemplate(name: string): Promise<AegisOpsTemplate> {
  return (await clients.customObjects.getNamespacedCustomObject({
    group,
    version,
    namespace,
    plural: 'aegisopstemplates',
    name,
  })) as AegisOpsTemplate;
}

async function createRule(name: string, spec: unknown): Promise<void> {
  await clients.customObjects.createNamespacedCustomObject({
    group,
    version,
    namespace,
    plural: 'aegisalertopsrules',
    body: { apiVersion: `${group}/${version}`, kind: 'AegisAlertOpsRule', metadata: { name }, spec },
  });
}

async function replaceSpec(plural: string, name: string, spec: unknown): Promise<void> {
  const current = (await clients.customObjects.getNamespacedCustomObject({
    group,
    version,
    namespace,
    plural,
    name,
  })) as { metadata: object };
  await clients.customObjects.replaceNamespacedCustomObject({
    group,
    version,
    namespace,
    plural,
    name,
    body: { ...current, spec },
  });
}

async function events(name: string): Promise<{ type?: string; reason?: string; message?: string }[]> {
  const list = await clients.core.listNamespacedEvent({ namespace });
  return list.items.filter((event) => event.involvedObject.name === name);
}

function matchedName(result: MatchResult): string | undefined {
  return result.kind === 'matched' ? result.rule.name : result.kind;
}

beforeAll(async () => {
  [sandbox, redis] = await Promise.all([startSandbox({ nodes: 1, simulate: false }), startRedisProcess()]);
  clients = createKubeClients({ yaml: sandbox.kubeconfig });
  await installCrds(clients, await readCrdManifests());
  namespace = `rules-${randomUUID().slice(0, 8)}`;
  await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
  const prefix = `t-${randomUUID()}`;
  ruleSource = createRuleSource(clients, { namespace });
  templateSource = createTemplateSource(clients, { namespace });
  const common = {
    clients,
    redisUrl: redis.url,
    prefix,
    resyncIntervalMs: 0,
    retry: { baseDelayMs: 50, maxDelayMs: 500 },
  };
  controllers.push(await startRuleController({ ...common, source: ruleSource }));
  controllers.push(await startTemplateController({ ...common, source: templateSource }));
  matcher = createRuleMatcher(ruleSource);
  await Promise.all([
    ...controllers.map((controller) => controller.waitForSync(5_000)),
    matcher.waitForSync(5_000),
  ]);
});

afterAll(async () => {
  await matcher?.stop();
  for (const controller of controllers) await controller.stop();
  await Promise.all([sandbox?.close(), redis?.stop()]);
});

describe('rule and template reconcilers', () => {
  it('records the canonical rule and template, and the matcher finds the rule', async () => {
    const template = await example<AegisOpsTemplate>('template.yaml');
    const rule = await example<AegisAlertOpsRule>('rule.yaml');
    await clients.customObjects.createNamespacedCustomObject({
      group,
      version,
      namespace,
      plural: 'aegisopstemplates',
      body: { ...template, metadata: { name: 'nodehasemergencyevent' } },
    });
    await createRule('nodehasemergencyevent', rule.spec);

    await waitFor(
      'rule Recorded',
      async () => (await getRule('nodehasemergencyevent')).status?.status === 'Recorded',
    );
    const recordedRule = await getRule('nodehasemergencyevent');
    expect(recordedRule.status?.observedGeneration).toBe(1);
    expect(
      recordedRule.status?.conditions?.map((condition) => [
        condition.type,
        condition.status,
        condition.reason,
      ]),
    ).toEqual([
      ['Valid', 'True', 'Recorded'],
      ['Ready', 'True', 'Recorded'],
    ]);
    expect(recordedRule.status?.conditions?.[0]?.observedGeneration).toBe(1);

    await waitFor(
      'template Recorded',
      async () => (await getTemplate('nodehasemergencyevent')).status?.status === 'Recorded',
    );
    expect((await getTemplate('nodehasemergencyevent')).status?.observedGeneration).toBe(1);

    await waitFor(
      'matcher sees the rule',
      () =>
        matchedName(matcher.match({ type: 'NodeHasEmergencyEvent', status: 'Firing' })) ===
        'nodehasemergencyevent',
    );
    const result = matcher.match({
      type: 'NodeHasEmergencyEvent',
      status: 'Firing',
      labels: { node: 'dev1' },
    });
    expect(result.kind === 'matched' && result.templateRef).toEqual({
      kind: 'AegisOpsTemplate',
      namespace: 'monitoring',
      name: 'nodehasemergencyevent',
    });
    expect(matcher.match({ type: 'NodeHasEmergencyEventX', status: 'Firing' }).kind).toBe('none');
    await waitFor('Recorded event', async () =>
      (await events('nodehasemergencyevent')).some(
        (event) => event.reason === 'Recorded' && event.type === 'Normal',
      ),
    );
  });

  it('marks an invalid rule Invalid with every problem; it is never matched; fixing it records and matches it', async () => {
    await createRule('broken', {
      alertConditions: [{ type: 'Gpu(Lost', status: 'firing' }],
      opsTemplate: { kind: 'AegisOpsTemplate', name: 'nodehasemergencyevent' },
    });
    await waitFor('rule Invalid', async () => (await getRule('broken')).status?.status === 'Invalid');
    const broken = await getRule('broken');
    expect(broken.status?.message).toContain(
      'spec.alertConditions[0].type: is not a valid regular expression',
    );
    expect(broken.status?.message).toContain(
      'spec.alertConditions[0].status: must be exactly "Firing" or "Resolved"',
    );
    expect(broken.status?.conditions?.find((condition) => condition.type === 'Valid')).toMatchObject({
      status: 'False',
      reason: 'Invalid',
      observedGeneration: 1,
    });
    expect(matcher.match({ type: 'Gpu(Lost', status: 'firing' }).kind).toBe('none');
    await waitFor('Warning event', async () =>
      (await events('broken')).some((event) => event.reason === 'Invalid' && event.type === 'Warning'),
    );

    await replaceSpec('aegisalertopsrules', 'broken', {
      alertConditions: [{ type: 'Gpu.*Lost', status: 'Firing' }],
      opsTemplate: { kind: 'AegisOpsTemplate', name: 'nodehasemergencyevent' },
    });
    await waitFor('rule Recorded again', async () => {
      const fixed = await getRule('broken');
      return fixed.status?.status === 'Recorded' && fixed.status.observedGeneration === 2;
    });
    await waitFor(
      'matcher follows the fix',
      () => matchedName(matcher.match({ type: 'GpuXidLost', status: 'Firing' })) === 'broken',
    );
    const fixed = matcher.match({ type: 'GpuXidLost', status: 'Firing' });
    expect(fixed.kind === 'matched' && fixed.templateRef.namespace).toBe(namespace);

    await clients.customObjects.deleteNamespacedCustomObject({
      group,
      version,
      namespace,
      plural: 'aegisalertopsrules',
      name: 'broken',
    });
    await waitFor(
      'matcher drops the deleted rule',
      () => matcher.match({ type: 'GpuXidLost', status: 'Firing' }).kind === 'none',
    );
  });

  it('marks a template that does not parse Invalid with its line, keeps executeStatus, and records it once fixed', async () => {
    const manifest = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Workflow',
      'spec:',
      '  entrypoint: start',
      '  templates:',
      '  - name: start',
      '    container:',
      '      command: [/bin/sh, -c, "echo {{.node"]',
    ].join('\n');
    await clients.customObjects.createNamespacedCustomObject({
      group,
      version,
      namespace,
      plural: 'aegisopstemplates',
      body: {
        apiVersion: `${group}/${version}`,
        kind: 'AegisOpsTemplate',
        metadata: { name: 'bad' },
        spec: { manifest },
      },
    });
    await waitFor('template Invalid', async () => (await getTemplate('bad')).status?.status === 'Invalid');
    const bad = await getTemplate('bad');
    expect(bad.status?.message).toMatch(/^spec\.manifest: .*line 8/);
    expect(bad.status?.conditions?.find((condition) => condition.type === 'Valid')?.message).toBe(
      bad.status?.message,
    );

    // The alert reconciler's counters live next to our fields and must survive our writes.
    await createCustomObjectClient(clients, templateResource).patchStatus(namespace, 'bad', {
      executeStatus: { failed: 2 },
    });
    const template = await example<AegisOpsTemplate>('template.yaml');
    await replaceSpec('aegisopstemplates', 'bad', template.spec);
    await waitFor('template Recorded again', async () => {
      const fixed = await getTemplate('bad');
      return fixed.status?.status === 'Recorded' && fixed.status.observedGeneration === 2;
    });
    const fixed = await getTemplate('bad');
    expect(fixed.status?.executeStatus).toEqual({ failed: 2 });
    expect(fixed.status?.message).toBe('the manifest renders an Argo Workflow');
    await waitFor('events for both transitions', async () => {
      const reasons = (await events('bad')).map((event) => event.reason);
      return reasons.includes('Invalid') && reasons.includes('Recorded');
    });
  });

  it('writes nothing when the status is already right', async () => {
    const before = await getTemplate('nodehasemergencyevent');
    await controllers[1]?.resync();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await getTemplate('nodehasemergencyevent');
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });
});
