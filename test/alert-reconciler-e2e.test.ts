/**
 * The alert reconciler against the sandbox API server (with its simulated Argo controller) and a real Redis:
 * the canonical cordon example end to end, watched with the real `kubectl get aegisalerts -w`; trigger failures;
 * a failing Workflow and the template counters; one Workflow per alert across re-runs and replicas (approvals:
 * approval-gate-e2e.test.ts).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { buildAegisAlertObject } from '../src/core/alerts/index.js';
import { alertOpsStatusValues, triggerStatusValues, type AegisAlert } from '../src/core/resources/index.js';
import {
  createAlertReconciler,
  startAlertController,
  workflowNameFor,
  type AlertController,
  type WorkflowObject,
} from '../src/controller/alerts/index.js';
import { createRuleMatcher, createRuleSource, type RuleMatcher } from '../src/controller/rules/index.js';
import { createOutcomeLedger } from '../src/controller/alerts/outcome-ledger.js';
import {
  createAegisAlertStore,
  createEventRecorder,
  createTemplateStatusStore,
  createWorkflowStore,
} from '../src/kube/index.js';
import { parseCustomPayload } from '../src/webhooks/formats/index.js';
import { Redis } from 'ioredis';
import { silentLogger } from '../src/core/logger.js';
import {
  alertNamespace,
  eventually,
  startIngestEnvironment,
  type IngestEnvironment,
} from './support/ingest-environment.js';

const exampleDirectory = new URL('../examples/cordon-on-emergency/', import.meta.url);
const payloadFile = new URL('../examples/alerts/custom-node-firing.json', import.meta.url);

let env: IngestEnvironment;
let matcher: RuleMatcher;
let controller: AlertController;
let kubeconfigPath: string;
const prefix = `alerts-${randomUUID().slice(0, 8)}`;

const aegis = { group: 'aegis.io', version: 'v1alpha1' } as const;
const workflowsApi = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows' } as const;

async function applyYamlFile(file: URL, namespace: string): Promise<void> {
  for (const document of parseAllDocuments(await readFile(file, 'utf8'))) {
    const object = document.toJS() as { kind: string; metadata: { namespace?: string } };
    await createObject(object.kind, { ...object, metadata: { ...object.metadata, namespace } });
  }
}

async function createObject(kind: string, object: object): Promise<void> {
  const plural = kind === 'AegisAlertOpsRule' ? 'aegisalertopsrules' : 'aegisopstemplates';
  await env.clients.customObjects.createNamespacedCustomObject({
    ...aegis,
    plural,
    namespace: alertNamespace,
    body: object,
  });
}

async function createRule(
  name: string,
  type: string,
  template: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await createObject('AegisAlertOpsRule', {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlertOpsRule',
    metadata: { name },
    spec: {
      alertConditions: [{ type, status: 'Firing' }],
      opsTemplate: { kind: 'AegisOpsTemplate', namespace: alertNamespace, name: template },
      ...extra,
    },
  });
}

async function createTemplate(name: string, manifest: string): Promise<void> {
  await createObject('AegisOpsTemplate', {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisOpsTemplate',
    metadata: { name },
    spec: { manifest },
  });
}

const echoManifest = (annotations = ''): string => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  labels:
    team: ops
  annotations:
    owner: sre${annotations}
spec:
  entrypoint: start
  templates:
  - name: start
    container:
      image: busybox
      command: [/bin/sh, -c, "echo {{.node}}"]
`;

/** Create an AegisAlert as the ingest worker does: the object, then its initial status through /status. */
async function createAlert(overrides: { type?: string; node?: string } = {}): Promise<AegisAlert> {
  const body: Record<string, unknown> = JSON.parse(await readFile(payloadFile, 'utf8'));
  const node = overrides.node ?? 'dev1';
  body['type'] = overrides.type ?? body['type'];
  body['details'] = { ...(body['details'] as object), node };
  body['fingerprint'] = randomUUID().replace(/-/g, '').slice(0, 16);
  const [accepted] = parseCustomPayload(body).accepted;
  if (accepted === undefined) throw new Error('example payload refused');
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const { object, status } = buildAegisAlertObject(accepted.alert, {
    namespace: alertNamespace,
    systemParameters: { cluster: 'sandbox' },
    ttl: {},
    now,
  });
  const created = await env.store.create(object);
  return await env.store.patchStatus(alertNamespace, created.metadata.name ?? '', status, {
    resourceVersion: created.metadata.resourceVersion ?? '',
  });
}

async function getAlert(name: string): Promise<AegisAlert> {
  const alert = await env.store.get(alertNamespace, name);
  if (alert === undefined) throw new Error(`alert ${name} is gone`);
  return alert;
}

async function workflowsOf(alert: AegisAlert): Promise<WorkflowObject[]> {
  const list = (await env.clients.customObjects.listNamespacedCustomObject({
    ...workflowsApi,
    namespace: alertNamespace,
  })) as { items: WorkflowObject[] };
  return list.items.filter((item) =>
    item.metadata?.ownerReferences?.some((reference) => reference.uid === alert.metadata.uid),
  );
}

async function templateCounts(name: string): Promise<{ succeeded?: number; failed?: number }> {
  const template = (await env.clients.customObjects.getNamespacedCustomObject({
    ...aegis,
    plural: 'aegisopstemplates',
    namespace: alertNamespace,
    name,
  })) as { status?: { executeStatus?: { succeeded?: number; failed?: number } } };
  return template.status?.executeStatus ?? {};
}

async function eventsOf(name: string): Promise<{ reason?: string; type?: string; message?: string }[]> {
  const list = await env.clients.core.listNamespacedEvent({
    namespace: alertNamespace,
    fieldSelector: `involvedObject.name=${name}`,
  });
  return list.items;
}

const until = <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> =>
  eventually(check, timeoutMs, what);

async function alertWhere(name: string, predicate: (alert: AegisAlert) => boolean, what: string) {
  return await until(what, async () => {
    const alert = await getAlert(name);
    return predicate(alert) ? alert : undefined;
  });
}

beforeAll(async () => {
  env = await startIngestEnvironment();
  kubeconfigPath = join(await mkdtemp(join(tmpdir(), 'aegis-alerts-')), 'kubeconfig');
  await writeFile(kubeconfigPath, env.sandbox.kubeconfig);
  // The canonical example, as written, applied in the alert namespace.
  await applyYamlFile(new URL('template.yaml', exampleDirectory), alertNamespace);
  await applyYamlFile(new URL('rule.yaml', exampleDirectory), alertNamespace);
  await createTemplate('echo-node', echoManifest());
  await createTemplate(
    'failing-echo',
    echoManifest('\n    sandbox.aegis.io/outcome: Failed\n    sandbox.aegis.io/duration: 300ms'),
  );
  await createRule('duplicate-a', 'DuplicateRuleType', 'echo-node');
  await createRule('duplicate-b', 'Duplicate.*', 'echo-node');
  await createRule('failing', 'FailingOpsType', 'failing-echo');
  await createRule('two-replicas', 'TwoReplicasType', 'echo-node');
  await createTemplate('crash-echo', echoManifest());
  await createRule('crash', 'CrashType', 'crash-echo');
  matcher = createRuleMatcher(createRuleSource(env.clients));
  await matcher.waitForSync(10_000);
  controller = await startAlertController({
    clients: env.clients,
    redisUrl: env.redis.url,
    prefix,
    matcher,
    namespace: alertNamespace,
    resyncIntervalMs: 0,
  });
  await controller.waitForSync(10_000);
}, 60_000);

afterAll(async () => {
  await controller?.stop();
  await matcher?.stop();
  await env?.stop();
});

const triggerValues: ReadonlySet<string> = new Set(triggerStatusValues);
const opsValues: ReadonlySet<string> = new Set(alertOpsStatusValues);

/**
 * One row of the default table (NAME TYPE OBJECTKIND OBJECTNAME STATUS COUNT TRIGGERSTATUS OPSSTATUS AGE). kubectl
 * leaves empty cells blank, so the cells after OBJECTNAME are told apart by their values.
 */
function parseRow(line: string): { name: string; columns: string } | undefined {
  const cells = line.trim().split(/\s+/);
  const name = cells[0];
  if (name === undefined || cells.length < 4) return undefined;
  let status = '<none>';
  let count = '<none>';
  let trigger = '<none>';
  let ops = '<none>';
  for (const cell of cells.slice(4)) {
    if (cell === 'Firing' || cell === 'Resolved') status = cell;
    else if (/^\d+$/.test(cell)) count = cell;
    else if (triggerValues.has(cell)) trigger = cell;
    else if (opsValues.has(cell)) ops = cell;
  }
  return { name, columns: `${status} ${count} ${trigger} ${ops}` };
}

/**
 * `kubectl get aegisalerts -w` in the alert namespace: per alert name, the STATUS, COUNT, TRIGGERSTATUS and
 * OPSSTATUS columns of each row printed. Resolves once kubectl has listed (so no later change is missed).
 */
async function watchWithKubectl(): Promise<{ rowsOf: (name: string) => string[]; stop: () => void }> {
  const child = spawn(
    'kubectl',
    ['--kubeconfig', kubeconfigPath, '-n', alertNamespace, 'get', 'aegisalerts', '-w', '--no-headers'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const rows: { name: string; columns: string }[] = [];
  // kubectl prints nothing for an empty list: an alert of its own shows when the list has arrived.
  const marker = (await createAlert({ type: 'KubectlWatchMarker' })).metadata.name ?? '';
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const row = parseRow(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      if (row !== undefined) rows.push(row);
      newline = buffer.indexOf('\n');
    }
  });
  await until('kubectl to list', () =>
    Promise.resolve(rows.some((row) => row.name === marker) ? true : undefined),
  );
  return {
    rowsOf: (name) => rows.filter((row) => row.name === name).map((row) => row.columns),
    stop: () => child.kill(),
  };
}

function distinctInOrder(rows: readonly string[]): string[] {
  return rows.filter((row, index) => index === 0 || rows[index - 1] !== row);
}

describe('alert reconciler on the sandbox', () => {
  it('runs the canonical cordon example: Firing 1 → Triggered Pending → Running → Succeeded', async () => {
    const watch = await watchWithKubectl();
    try {
      const alert = await createAlert();
      const name = alert.metadata.name ?? '';
      const done = await alertWhere(
        name,
        (item) => item.status?.opsStatus?.alertOpsStatus === 'Succeeded',
        'Succeeded',
      );
      await until('the last kubectl row', () =>
        Promise.resolve(watch.rowsOf(name).at(-1) === 'Firing 1 Triggered Succeeded' ? true : undefined),
      );
      // Every row kubectl printed for the alert, repeated rows folded (each status write prints one).
      expect(distinctInOrder(watch.rowsOf(name))).toEqual([
        '<none> <none> <none> <none>', // created by the ingest worker, status written next
        'Firing 1 <none> <none>',
        'Firing 1 Triggered Pending',
        'Firing 1 Triggered Running',
        'Firing 1 Triggered Succeeded',
      ]);

      const ops = done.status?.opsStatus ?? {};
      expect(ops).toMatchObject({
        triggerStatus: 'Triggered',
        workflowName: name,
        total: 1,
        succeeded: 1,
        failed: 0,
      });
      expect(ops.startTime).toBeDefined();
      expect(ops.completionTime).toBeDefined();
      expect(done.status?.conditions?.map((condition) => `${condition.type}=${condition.status}`)).toEqual(
        expect.arrayContaining(['Triggered=True', 'Complete=True']),
      );

      const [workflow, ...others] = await workflowsOf(done);
      expect(others).toHaveLength(0);
      expect(workflow?.metadata?.name).toBe(workflowNameFor(name));
      expect(workflow?.metadata?.ownerReferences).toEqual([
        expect.objectContaining({
          kind: 'AegisAlert',
          name,
          uid: done.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        }),
      ]);
      expect(workflow?.metadata?.labels).toMatchObject(done.metadata.labels ?? {});
      const templates = (workflow?.spec?.['templates'] ?? []) as { container?: { command?: string[] } }[];
      expect(templates[0]?.container?.command?.join(' ')).toContain('kubectl cordon dev1');

      expect(await templateCounts('nodehasemergencyevent')).toEqual({ succeeded: 1, failed: 0 });
      // The event is recorded after the status write the wait above saw.
      const reasons = await until('the WorkflowSucceeded event', async () => {
        const list = (await eventsOf(name)).map((event) => event.reason);
        return list.includes('WorkflowSucceeded') ? list : undefined;
      });
      expect(reasons).toEqual(expect.arrayContaining(['SucceededCreateOpsWorkflow', 'WorkflowSucceeded']));
    } finally {
      watch.stop();
    }
  });

  it('runs nothing for a hostile node value and says TemplateUnsafe with the reason', async () => {
    const alert = await createAlert({ node: 'dev1; reboot' });
    const name = alert.metadata.name ?? '';
    const done = await alertWhere(
      name,
      (item) => item.status?.opsStatus?.triggerStatus !== undefined,
      'a trigger status',
    );
    expect(done.status?.opsStatus?.triggerStatus).toBe('TemplateUnsafe');
    expect(done.status?.opsStatus?.message).toMatch(/node/);
    expect(done.status?.opsStatus?.message).toMatch(/;|shell|unsafe/i);
    expect(done.status?.opsStatus?.alertOpsStatus).toBeUndefined();
    expect(await workflowsOf(done)).toHaveLength(0);
    const events = await until('the warning event', async () => {
      const list = await eventsOf(name);
      return list.some((event) => event.reason === 'TemplateUnsafe') ? list : undefined;
    });
    expect(events.find((event) => event.reason === 'TemplateUnsafe')?.type).toBe('Warning');
  });

  it('says RuleNotFound when no rule matches', async () => {
    const alert = await createAlert({ type: 'NoRuleForThisType' });
    const done = await alertWhere(
      alert.metadata.name ?? '',
      (item) => item.status?.opsStatus?.triggerStatus !== undefined,
      'a trigger status',
    );
    expect(done.status?.opsStatus?.triggerStatus).toBe('RuleNotFound');
    expect(await workflowsOf(done)).toHaveLength(0);
  });

  it('says TooManyRulesFound when two rules match', async () => {
    const alert = await createAlert({ type: 'DuplicateRuleType' });
    const done = await alertWhere(
      alert.metadata.name ?? '',
      (item) => item.status?.opsStatus?.triggerStatus !== undefined,
      'a trigger status',
    );
    expect(done.status?.opsStatus?.triggerStatus).toBe('TooManyRulesFound');
    expect(done.status?.opsStatus?.message).toContain('duplicate-a');
    expect(done.status?.opsStatus?.message).toContain('duplicate-b');
    expect(await workflowsOf(done)).toHaveLength(0);
  });

  it('records a failing Workflow as Failed and counts it once on the template', async () => {
    const alert = await createAlert({ type: 'FailingOpsType' });
    const name = alert.metadata.name ?? '';
    const done = await alertWhere(
      name,
      (item) => item.status?.opsStatus?.alertOpsStatus === 'Failed',
      'Failed',
    );
    expect(done.status?.opsStatus).toMatchObject({ triggerStatus: 'Triggered', failed: 1, succeeded: 0 });
    expect(done.status?.conditions?.find((condition) => condition.type === 'Failed')).toMatchObject({
      status: 'True',
      reason: 'WorkflowFailed',
    });
    const [workflow] = await workflowsOf(done);
    expect(workflow?.metadata?.annotations).toMatchObject({
      owner: 'sre',
      'sandbox.aegis.io/outcome': 'Failed',
    });
    expect(workflow?.metadata?.labels).toMatchObject({ team: 'ops' });
    expect(await templateCounts('failing-echo')).toEqual({ succeeded: 0, failed: 1 });
    // Re-running the finished alert (resync, restart) counts nothing again.
    await controller.controller.enqueue({ namespace: alertNamespace, name });
    await controller.controller.resync();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await templateCounts('failing-echo')).toEqual({ succeeded: 0, failed: 1 });
    const reasons = await until('the WorkflowFailed event', async () => {
      const list = (await eventsOf(name)).map((event) => event.reason);
      return list.includes('WorkflowFailed') ? list : undefined;
    });
    expect(reasons).toContain('WorkflowFailed');
  });

  it('creates exactly one Workflow across re-runs, a second replica and stale caches', async () => {
    const replica = await startAlertController({
      clients: env.clients,
      redisUrl: env.redis.url,
      prefix,
      matcher,
      namespace: alertNamespace,
      resyncIntervalMs: 0,
    });
    try {
      await replica.waitForSync(10_000);
      const alert = await createAlert({ type: 'TwoReplicasType' });
      const name = alert.metadata.name ?? '';
      const key = { namespace: alertNamespace, name };
      await Promise.all([
        controller.controller.enqueue(key),
        replica.controller.enqueue(key),
        controller.controller.resync(),
        replica.controller.resync(),
      ]);
      const triggered = await alertWhere(
        name,
        (item) => item.status?.opsStatus?.triggerStatus === 'Triggered',
        'Triggered',
      );

      // A reconcile whose caches are stale (the alert as first created, no Workflow cached), run twice at once
      // and without the queue's per-key lock: both creates meet the existing Workflow and adopt it.
      const redis = new Redis(env.redis.url);
      try {
        const stale = createAlertReconciler({
          alerts: { get: () => alert },
          workflows: { get: () => undefined, list: () => [] },
          templates: {
            get: (namespace, templateName) =>
              templateName === 'echo-node'
                ? { metadata: { namespace, name: templateName }, spec: { manifest: echoManifest() } }
                : undefined,
          },
          rules: { get: () => undefined },
          matcher,
          workflowStore: createWorkflowStore(env.clients),
          templateStore: createTemplateStatusStore(env.clients),
          statusWriter: createAegisAlertStore(env.clients),
          events: createEventRecorder(env.clients),
          ledger: createOutcomeLedger(redis, { prefix: `${prefix}:stale` }),
        });
        const context = {
          controller: 'test',
          attempt: 1,
          signal: new AbortController().signal,
          logger: silentLogger,
          enqueue: () => Promise.resolve(),
        };
        const results = await Promise.all([stale(key, context), stale(key, context)]);
        for (const result of results) expect(result.type).toBe('again'); // the status write met a newer alert
      } finally {
        redis.disconnect();
      }
      await alertWhere(name, (item) => item.status?.opsStatus?.alertOpsStatus === 'Succeeded', 'Succeeded');
      expect(await workflowsOf(triggered)).toHaveLength(1);
      expect(
        (await eventsOf(name)).filter((event) => event.reason === 'SucceededCreateOpsWorkflow'),
      ).toHaveLength(1);
    } finally {
      await replica.stop();
    }
  });

  // Approvals: test/approval-gate-e2e.test.ts.

  // Last: it replaces the shared controller.
  it('counts an outcome exactly once when the run dies between the counter and the alert write', async () => {
    await controller.stop();
    const store = createAegisAlertStore(env.clients);
    let failedOnce = false;
    controller = await startAlertController({
      clients: env.clients,
      redisUrl: env.redis.url,
      prefix,
      matcher,
      namespace: alertNamespace,
      resyncIntervalMs: 0,
      retry: { baseDelayMs: 50 },
      overrides: {
        statusWriter: {
          async patchStatus(namespace, name, status, preconditions) {
            if (!failedOnce && status.opsStatus?.alertOpsStatus === 'Succeeded') {
              failedOnce = true; // the template counter is written; the process "dies" before the alert write
              throw new Error('simulated crash');
            }
            return await store.patchStatus(namespace, name, status, preconditions);
          },
        },
      },
    });
    await controller.waitForSync(10_000);
    const alert = await createAlert({ type: 'CrashType' });
    await alertWhere(
      alert.metadata.name ?? '',
      (item) => item.status?.opsStatus?.alertOpsStatus === 'Succeeded',
      'Succeeded',
    );
    expect(failedOnce).toBe(true);
    expect(await templateCounts('crash-echo')).toEqual({ succeeded: 1, failed: 0 });
  });
});
