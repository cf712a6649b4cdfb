/**
 * Issue 10, item 6, replayed against the sandbox and a real Redis with the policy `aegis serve` applies: a rule
 * and template created in another namespace must not produce Workflows in `monitoring`, and a Workflow may run
 * only as an allowed service account (the controller's own `aegis` account worked before).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAegisAlertObject } from '../src/core/alerts/index.js';
import type { AegisAlert } from '../src/core/resources/index.js';
import {
  startAlertController,
  type AlertController,
  type WorkflowObject,
} from '../src/controller/alerts/index.js';
import { createRuleMatcher, createRuleSource, type RuleMatcher } from '../src/controller/rules/index.js';
import {
  alertNamespace,
  eventually,
  startIngestEnvironment,
  type IngestEnvironment,
} from './support/ingest-environment.js';

const aegis = { group: 'aegis.io', version: 'v1alpha1' } as const;
const otherNamespace = 'team-sandbox';

let env: IngestEnvironment;
let matcher: RuleMatcher;
let controller: AlertController;

const manifest = (serviceAccount: string | undefined): string => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
spec:
  entrypoint: start
${serviceAccount === undefined ? '' : `  serviceAccountName: ${serviceAccount}\n`}  templates:
  - name: start
    container:
      image: busybox
      command: [/bin/sh, -c, "echo {{.node}}"]
`;

async function create(namespace: string, plural: string, body: object): Promise<void> {
  await env.clients.customObjects.createNamespacedCustomObject({ ...aegis, plural, namespace, body });
}

async function ruleAndTemplate(
  namespace: string,
  name: string,
  type: string,
  serviceAccount: string | undefined,
): Promise<void> {
  await create(namespace, 'aegisopstemplates', {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisOpsTemplate',
    metadata: { name },
    spec: { manifest: manifest(serviceAccount) },
  });
  await create(namespace, 'aegisalertopsrules', {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlertOpsRule',
    metadata: { name },
    spec: {
      alertConditions: [{ type, status: 'Firing' }],
      opsTemplate: { kind: 'AegisOpsTemplate', namespace, name },
    },
  });
}

async function createAlert(type: string): Promise<AegisAlert> {
  const { object, status } = buildAegisAlertObject(
    {
      source: 'Default',
      type,
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'dev1' },
      details: { node: 'dev1' },
      fingerprint: randomUUID().replace(/-/g, '').slice(0, 16),
    },
    {
      namespace: alertNamespace,
      systemParameters: {},
      ttl: {},
      now: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
  );
  const created = await env.store.create(object);
  return await env.store.patchStatus(alertNamespace, created.metadata.name ?? '', status, {
    resourceVersion: created.metadata.resourceVersion ?? '',
  });
}

async function settled(alert: AegisAlert): Promise<AegisAlert> {
  return await eventually(
    async () => {
      const current = await env.store.get(alertNamespace, alert.metadata.name ?? '');
      return current?.status?.opsStatus?.triggerStatus === undefined ? undefined : current;
    },
    20_000,
    `trigger status of ${alert.spec.type}`,
  );
}

async function workflowsOf(alert: AegisAlert): Promise<WorkflowObject[]> {
  const list = (await env.clients.customObjects.listNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'workflows',
    namespace: alertNamespace,
  })) as { items: WorkflowObject[] };
  return list.items.filter((item) =>
    item.metadata?.ownerReferences?.some((owner) => owner.uid === alert.metadata.uid),
  );
}

beforeAll(async () => {
  env = await startIngestEnvironment();
  await env.clients.core.createNamespace({ body: { metadata: { name: otherNamespace } } });
  await ruleAndTemplate(otherNamespace, 'elsewhere', 'ElsewhereType', 'aegis-workflow');
  await ruleAndTemplate(alertNamespace, 'as-controller', 'AsControllerType', 'aegis');
  await ruleAndTemplate(alertNamespace, 'no-account', 'NoAccountType', undefined);
  await ruleAndTemplate(alertNamespace, 'allowed', 'AllowedType', 'aegis-workflow');
  const namespaces = new Set([alertNamespace]);
  matcher = createRuleMatcher(createRuleSource(env.clients), { namespaces });
  await matcher.waitForSync(10_000);
  controller = await startAlertController({
    clients: env.clients,
    redisUrl: env.redis.url,
    prefix: `policy-${randomUUID().slice(0, 8)}`,
    matcher,
    namespace: alertNamespace,
    resyncIntervalMs: 0,
    workflowPolicy: { templateNamespaces: namespaces, serviceAccounts: new Set(['aegis-workflow']) },
  });
  await controller.waitForSync(10_000);
}, 60_000);

afterAll(async () => {
  await controller?.stop();
  await matcher?.stop();
  await env?.stop();
});

describe('rules and templates only from where the operator says', () => {
  it('ignores a rule in a namespace that is not listed: no Workflow in monitoring', async () => {
    const alert = await settled(await createAlert('ElsewhereType'));
    expect(alert.status?.opsStatus?.triggerStatus).toBe('RuleNotFound');
    expect(await workflowsOf(alert)).toEqual([]);
  });

  it("refuses a Workflow that runs as the controller's account, or as the namespace default, with the reason", async () => {
    const asController = await settled(await createAlert('AsControllerType'));
    expect(asController.status?.opsStatus?.triggerStatus).toBe('TemplateUnsafe');
    expect(asController.status?.opsStatus?.message).toContain(
      'runs as service account "aegis" (spec.serviceAccountName), which is not allowed (allowed: aegis-workflow; set AEGIS_WORKFLOW_SERVICE_ACCOUNTS',
    );
    const noAccount = await settled(await createAlert('NoAccountType'));
    expect(noAccount.status?.opsStatus?.triggerStatus).toBe('TemplateUnsafe');
    expect(noAccount.status?.opsStatus?.message).toContain('namespace\'s "default" service account');
    expect(await workflowsOf(asController)).toEqual([]);
    expect(await workflowsOf(noAccount)).toEqual([]);
  });

  it('runs a Workflow as an allowed account', async () => {
    const alert = await settled(await createAlert('AllowedType'));
    expect(alert.status?.opsStatus?.triggerStatus).toBe('Triggered');
    const [workflow] = await workflowsOf(alert);
    expect((workflow?.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName).toBe(
      'aegis-workflow',
    );
  });
});
