/**
 * Every example under `examples/` run end to end on the sandbox inside one `aegis serve` (issue 4, item 6):
 * its rules and templates applied as written, its alert payload(s) posted to the route their shape belongs to,
 * the AegisAlert reaching `Triggered Succeeded`, and the Workflow doing what the example's README promises.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startServe, type RunningServe } from '../src/cli/index.js';
import { loadConfig } from '../src/config/index.js';
import { fingerprintLabelSelector } from '../src/core/alerts/index.js';
import { silentLogger } from '../src/core/logger.js';
import { findFreePort } from '../src/platform/index.js';

interface AlertObject {
  metadata: { name: string; namespace: string };
  spec: { type: string; status: string };
  status?: {
    opsStatus?: { triggerStatus?: string; alertOpsStatus?: string; workflowName?: string; message?: string };
    approval?: { state?: string };
  };
}

interface WorkflowTemplate {
  name: string;
  nodeSelector?: Record<string, string>;
  tolerations?: { operator?: string }[];
  container?: { command?: string[]; securityContext?: { privileged?: boolean } };
}

interface WorkflowObject {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { entrypoint: string; nodeName?: string; suspend?: boolean; templates: WorkflowTemplate[] };
}

let running: RunningServe;
let stateDir: string;
const apiToken = 'examples-e2e-token';
const aegis = { group: 'aegis.io', version: 'v1alpha1', namespace: 'monitoring' };
const argo = { group: 'argoproj.io', version: 'v1alpha1', namespace: 'monitoring', plural: 'workflows' };
const pluralOfKind: Record<string, string> = {
  AegisAlertOpsRule: 'aegisalertopsrules',
  AegisOpsTemplate: 'aegisopstemplates',
};

const repoFile = async (path: string): Promise<string> =>
  await readFile(new URL(`../${path}`, import.meta.url), 'utf8');

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Apply every document of an example's YAML file (rules and templates), as `kubectl apply -f` would create them. */
async function applyFile(path: string): Promise<string[]> {
  const applied: string[] = [];
  for (const document of YAML.parseAllDocuments(await repoFile(path))) {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]?.message ?? ''}`);
    const body = document.toJS() as {
      kind?: string;
      metadata?: { name?: string; namespace?: string };
    } | null;
    if (body === null) continue;
    const plural = pluralOfKind[body.kind ?? ''];
    if (plural === undefined) throw new Error(`${path}: unexpected kind ${String(body.kind)}`);
    await running.kubeClients.customObjects.createNamespacedCustomObject({
      ...aegis,
      namespace: body.metadata?.namespace ?? aegis.namespace,
      plural,
      body,
    });
    applied.push(`${body.kind ?? ''}/${body.metadata?.name ?? ''}`);
  }
  return applied;
}

/** Wait until the rules and templates are reconciled (`Recorded`/`Valid`), so an alert cannot race them. */
async function waitForReconciled(names: readonly string[]): Promise<void> {
  for (const entry of names) {
    const [kind = '', name = ''] = entry.split('/');
    const plural = pluralOfKind[kind] ?? '';
    await waitFor(`${entry} reconciled`, async () => {
      const object = (await running.kubeClients.customObjects.getNamespacedCustomObject({
        ...aegis,
        plural,
        name,
      })) as { status?: { status?: string } };
      const status = object.status?.status;
      if (status === 'Invalid') throw new Error(`${entry} is Invalid: ${JSON.stringify(object.status)}`);
      return status === undefined ? undefined : status;
    });
  }
}

/** POST a payload to the route its shape belongs to: Alertmanager webhooks carry `alerts[]`, the rest is custom. */
async function postAlert(payload: string): Promise<number> {
  const parsed = JSON.parse(payload) as { alerts?: unknown };
  const route = Array.isArray(parsed.alerts) ? '/alertmanager/alert' : '/default/alert';
  const response = await fetch(`${running.httpUrl}${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: payload,
  });
  await response.arrayBuffer();
  return response.status;
}

async function alertsOfFingerprint(fingerprint: string): Promise<AlertObject[]> {
  const list = (await running.kubeClients.customObjects.listNamespacedCustomObject({
    ...aegis,
    plural: 'aegisalerts',
    labelSelector: fingerprintLabelSelector(fingerprint),
  })) as { items: AlertObject[] };
  return list.items;
}

async function untilSucceeded(fingerprint: string): Promise<AlertObject> {
  return await waitFor(`alert ${fingerprint} Triggered Succeeded`, async () => {
    const alert = (await alertsOfFingerprint(fingerprint))[0];
    const ops = alert?.status?.opsStatus;
    if (ops?.alertOpsStatus === 'Failed')
      throw new Error(`alert ${fingerprint} failed: ${JSON.stringify(ops)}`);
    return ops?.triggerStatus === 'Triggered' && ops.alertOpsStatus === 'Succeeded' ? alert : undefined;
  });
}

async function workflowOf(alert: AlertObject): Promise<WorkflowObject> {
  const name = alert.status?.opsStatus?.workflowName;
  expect(name).toBeTruthy();
  return (await running.kubeClients.customObjects.getNamespacedCustomObject({
    ...argo,
    name: name ?? '',
  })) as WorkflowObject;
}

/** The Workflows owned by (labelled with) one alert: exactly one is expected per alert. */
async function workflowsOwnedBy(alert: AlertObject): Promise<WorkflowObject[]> {
  const list = (await running.kubeClients.customObjects.listNamespacedCustomObject({ ...argo })) as {
    items: (WorkflowObject & { metadata: { ownerReferences?: { name: string }[] } })[];
  };
  return list.items.filter((workflow) =>
    (workflow.metadata.ownerReferences ?? []).some((owner) => owner.name === alert.metadata.name),
  );
}

function commandOf(workflow: WorkflowObject): string {
  const step = workflow.spec.templates.find((template) => template.name === workflow.spec.entrypoint);
  return step?.container?.command?.join(' ') ?? '';
}

describe('examples, end to end on the sandbox', () => {
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'aegis-examples-e2e-'));
    const config = loadConfig({
      AEGIS_SANDBOX: 'true',
      AEGIS_HTTP_HOST: '127.0.0.1',
      AEGIS_HTTP_PORT: String(await findFreePort()),
      AEGIS_STATE_DIR: stateDir,
      AEGIS_API_TOKEN: apiToken,
    });
    running = await startServe(config, { logger: silentLogger, print: () => undefined });
  }, 120_000);

  afterAll(async () => {
    await running?.close();
    if (stateDir !== undefined) await rm(stateDir, { recursive: true, force: true });
  });

  it('cordon-on-emergency: NodeHasEmergencyEvent for dev1 runs kubectl cordon dev1', async () => {
    await waitForReconciled([
      ...(await applyFile('examples/cordon-on-emergency/template.yaml')),
      ...(await applyFile('examples/cordon-on-emergency/rule.yaml')),
    ]);
    const payload = await repoFile('examples/alerts/custom-node-firing.json');
    const { fingerprint } = JSON.parse(payload) as { fingerprint: string };
    expect(await postAlert(payload)).toBe(202);
    const done = await untilSucceeded(fingerprint);
    const workflow = await workflowOf(done);
    expect(commandOf(workflow)).toContain('kubectl cordon dev1');
    expect(await workflowsOwnedBy(done)).toHaveLength(1);
  }, 120_000);

  it('drop-caches: after one approval, a privileged pod pinned to the alerting node drops the page cache', async () => {
    await waitForReconciled([
      ...(await applyFile('examples/drop-caches/template.yaml')),
      ...(await applyFile('examples/drop-caches/rule.yaml')),
    ]);
    const payload = await repoFile('examples/drop-caches/alert.json');
    const sent = JSON.parse(payload) as { fingerprint: string; details: { node: string } };
    const node = sent.details.node;
    expect(await postAlert(payload)).toBe(202);

    // The rule requires one approval: the alert waits with its Workflow created suspended; nothing runs yet.
    const waiting = await waitFor('drop-caches AwaitingApproval', async () => {
      const alert = (await alertsOfFingerprint(sent.fingerprint))[0];
      return alert?.status?.opsStatus?.triggerStatus === 'AwaitingApproval' ? alert : undefined;
    });
    const held = await workflowsOwnedBy(waiting);
    expect(held).toHaveLength(1);
    expect(held[0]?.spec.suspend).toBe(true);
    const approve = await fetch(
      `${running.httpUrl}/api/v1/alerts/${waiting.metadata.namespace}/${waiting.metadata.name}/approve`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiToken}` },
        body: JSON.stringify({ by: 'U0123ABCD', reason: 'cache is 60% of memory', via: 'cli' }),
      },
    );
    expect(approve.status, await approve.text()).toBe(200);

    const done = await untilSucceeded(sent.fingerprint);
    expect(done.status?.approval?.state).toBe('Approved');
    const workflow = await workflowOf(done);
    const step = workflow.spec.templates.find((template) => template.name === workflow.spec.entrypoint);
    const pinned = step?.nodeSelector?.['kubernetes.io/hostname'] ?? workflow.spec.nodeName;
    expect(pinned).toBe(node);
    expect(step?.container?.securityContext?.privileged).toBe(true);
    expect(step?.tolerations).toContainEqual({ operator: 'Exists' });
    const command = commandOf(workflow);
    expect(command).toContain('echo 3 > /proc/sys/vm/drop_caches');
    expect(command).toContain(`node=${node}`);
    expect(await workflowsOwnedBy(done)).toHaveLength(1);
  }, 120_000);

  it('gpu-node-shielding: NodeCriticalIssue cordons, NodeCriticalIssueDisappeared uncordons (anchored)', async () => {
    await waitForReconciled([
      ...(await applyFile('examples/gpu-node-shielding/template.yaml')),
      ...(await applyFile('examples/gpu-node-shielding/rule.yaml')),
    ]);
    const critical = await repoFile('examples/gpu-node-shielding/alert-critical.json');
    const disappeared = await repoFile('examples/gpu-node-shielding/alert-disappeared.json');
    const fingerprintOf = (payload: string): string => {
      const fingerprint = (JSON.parse(payload) as { alerts: { fingerprint: string }[] }).alerts[0]
        ?.fingerprint;
      if (fingerprint === undefined) throw new Error('the example payload has no alert');
      return fingerprint;
    };
    const criticalFingerprint = fingerprintOf(critical);
    const disappearedFingerprint = fingerprintOf(disappeared);
    expect(criticalFingerprint).not.toBe(disappearedFingerprint);

    expect(await postAlert(critical)).toBe(202);
    const cordoned = await untilSucceeded(criticalFingerprint);
    expect(cordoned.spec.type).toBe('NodeCriticalIssue');
    const cordon = await workflowOf(cordoned);
    expect(commandOf(cordon)).toContain('kubectl cordon gpu-node-7');
    expect(commandOf(cordon)).not.toContain('uncordon');

    expect(await postAlert(disappeared)).toBe(202);
    const uncordoned = await untilSucceeded(disappearedFingerprint);
    expect(uncordoned.spec.type).toBe('NodeCriticalIssueDisappeared');
    // Anchored matching: exactly one rule (node-critical-issue-disappeared), not TooManyRulesFound.
    expect(uncordoned.status?.opsStatus?.triggerStatus).toBe('Triggered');
    const uncordon = await workflowOf(uncordoned);
    expect(commandOf(uncordon)).toContain('kubectl uncordon gpu-node-7');

    // Exactly one Workflow per alert, each from its own template.
    expect((await workflowsOwnedBy(cordoned)).map((workflow) => workflow.metadata.name)).toEqual([
      cordon.metadata.name,
    ]);
    expect((await workflowsOwnedBy(uncordoned)).map((workflow) => workflow.metadata.name)).toEqual([
      uncordon.metadata.name,
    ]);
    expect(await alertsOfFingerprint(criticalFingerprint)).toHaveLength(1);
    expect(await alertsOfFingerprint(disappearedFingerprint)).toHaveLength(1);
  }, 120_000);
});
