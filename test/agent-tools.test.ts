/**
 * Every agent tool on a reader whose objects are full of secrets (tokens in annotations, details, logs,
 * conditions, and a Kubernetes Secret slipped into a list): what the model would receive never contains one.
 * Also: outputs are bounded, a slow read times out into a readable error, bad arguments are refused.
 */
import { describe, expect, it } from 'vitest';
import { createAgentTools, runTool, type AgentToolContext, type ClusterReader } from '../src/agent/index.js';
import { createRedactor } from '../src/agent/redaction/index.js';
import type { AegisAlert, AegisAlertOpsRule, AegisOpsTemplate } from '../src/core/resources/index.js';

const secrets = [
  'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZWdpcy10ZXN0In0.c2lnbmF0dXJlLW9mLXRoZS10ZXN0LXRva2Vu',
  'AKIAIOSFODNN7EXAMPLE',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'hunter2hunter2',
];
const leak = (index: number) => secrets[index % secrets.length] ?? '';
const tainted = `Authorization: Bearer ${leak(1)} slack=${leak(0)} aws_access_key_id=${leak(2)} url=https://u:${leak(4)}@h/x`;
const secretObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db-credentials', namespace: 'default' },
  data: { password: Buffer.from('plain-db-password').toString('base64') },
};
const metadata = (name: string) => ({
  name,
  namespace: 'monitoring',
  labels: { app: 'x' },
  annotations: { note: tainted, 'example.com/token': leak(3) },
});
const alert = {
  apiVersion: 'aegis.io/v1alpha1',
  kind: 'AegisAlert',
  metadata: metadata('alert-1'),
  spec: {
    source: 'Custom',
    type: 'NodeHasEmergencyEvent',
    status: 'Firing',
    involvedObject: { kind: 'Node', name: 'dev1', node: 'dev1' },
    details: { description: tainted, token: leak(0) },
    selector: {},
  },
  status: {
    status: 'Firing',
    count: 1,
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'x',
        message: tainted,
        lastTransitionTime: '2025-01-01T00:00:00Z',
      },
    ],
  },
} as unknown as AegisAlert;
const rule = {
  apiVersion: 'aegis.io/v1alpha1',
  kind: 'AegisAlertOpsRule',
  metadata: metadata('rule-1'),
  spec: {
    alertConditions: [{ type: 'NodeHasEmergencyEvent', status: 'Firing' }],
    opsTemplate: { kind: 'AegisOpsTemplate', name: 'cordon', namespace: 'monitoring' },
  },
  status: { message: tainted },
} as unknown as AegisAlertOpsRule;
const template = {
  apiVersion: 'aegis.io/v1alpha1',
  kind: 'AegisOpsTemplate',
  metadata: metadata('cordon'),
  spec: {
    manifest: `kubectl cordon {{.node}} # token=${leak(0)}\ncurl -H "Authorization: Bearer ${leak(1)}"`,
  },
  status: { status: 'Valid', message: tainted },
} as unknown as AegisOpsTemplate;
const nodeObject = {
  metadata: metadata('dev1'),
  spec: { unschedulable: false, taints: [{ key: 'k', value: tainted, effect: 'NoSchedule' }] },
  status: {
    conditions: [{ type: 'Ready', status: 'False', message: tainted }],
    capacity: { 'nvidia.com/gpu': '8' },
  },
};
const pod = {
  metadata: metadata('trainer-0'),
  spec: { nodeName: 'dev1', containers: [{ name: 'main', image: 'trainer', resources: {} }] },
  status: {
    phase: 'Running',
    message: tainted,
    containerStatuses: [
      {
        name: 'main',
        ready: false,
        restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff', message: tainted } },
      },
    ],
  },
};
const event = {
  metadata: metadata('ev'),
  type: 'Warning',
  reason: 'BackOff',
  message: tainted,
  involvedObject: { kind: 'Pod', name: 'trainer-0' },
};

// A reader that also slips a Secret into the node and pod lists, as a misconfigured adapter might.
const reader: ClusterReader = {
  listAlerts: () => Promise.resolve([alert, alert, alert]),
  getAlert: () => Promise.resolve(alert),
  listRules: () => Promise.resolve([rule]),
  getRule: () => Promise.resolve(rule),
  listTemplates: () => Promise.resolve([template]),
  getTemplate: () => Promise.resolve(template),
  listNodes: () => Promise.resolve([nodeObject, secretObject]),
  getNode: () => Promise.resolve(nodeObject),
  listPods: () => Promise.resolve([pod, secretObject]),
  getPod: () => Promise.resolve(pod),
  listEvents: () => Promise.resolve([event]),
  readPodLog: () => Promise.resolve(`${'x'.repeat(100)}\n${tainted}\nOPENAI_API_KEY=${leak(3)}\n`.repeat(40)),
};

const created: unknown[] = [];
const redactor = createRedactor();
const tools = createAgentTools({
  reader,
  namespace: 'monitoring',
  redact: (text) => redactor.redact(text),
  opsRequests: {
    createOpsRequest: (request) => {
      created.push(request);
      return Promise.resolve({ namespace: 'monitoring', name: 'opsrequest-cordon-abc12' });
    },
  },
});
const context: AgentToolContext = {
  user: 'U0ASKER',
  conversationId: 'test',
  signal: new AbortController().signal,
};
const inputs: Record<string, unknown> = {
  list_alerts: {},
  get_alert: { name: 'alert-1' },
  list_rules: {},
  get_rule: { name: 'rule-1' },
  list_templates: {},
  get_template: { name: 'cordon' },
  list_nodes: {},
  get_node: { name: 'dev1' },
  list_pods: { node: 'dev1' },
  get_pod: { namespace: 'monitoring', name: 'trainer-0' },
  list_events: { kind: 'Pod', name: 'trainer-0', namespace: 'monitoring' },
  get_pod_logs: { namespace: 'monitoring', name: 'trainer-0', tailLines: 500 },
  propose_ops_run: { template: 'cordon', parameters: { node: 'dev1' }, reason: `because ${tainted}` },
};

describe('agent tools', () => {
  it('has one input per tool here, and every schema field is described', () => {
    expect(tools.map((tool) => tool.name).sort()).toEqual(Object.keys(inputs).sort());
    for (const tool of tools) {
      for (const [field, schema] of Object.entries(tool.schema.shape)) {
        expect((schema as { description?: string }).description, `${tool.name}.${field}`).toBeTruthy();
      }
    }
  });

  it.each(Object.keys(inputs))('%s: the model never receives a secret', async (name) => {
    const tool = tools.find((candidate) => candidate.name === name);
    if (tool === undefined) throw new Error(`no tool ${name}`);
    const invocation = await runTool(tool, inputs[name], context, {
      redactValue: (value: unknown) => redactor.redactValue(value),
    });
    expect(invocation.ok, invocation.text).toBe(true);
    for (const secret of secrets) expect(invocation.text).not.toContain(secret);
    expect(invocation.text).not.toContain('plain-db-password');
    expect(invocation.text).not.toContain(secretObject.data.password);
    expect(invocation.text.length).toBeLessThanOrEqual(16_100);
  });

  it('propose_ops_run returns a typed pending_approval status, requested by the asker', async () => {
    created.length = 0;
    const tool = tools.find((candidate) => candidate.name === 'propose_ops_run')!;
    const invocation = await runTool(tool, inputs['propose_ops_run'], context, {
      redactValue: (value: unknown) => redactor.redactValue(value),
    });
    expect(invocation.output).toMatchObject({
      status: 'pending_approval',
      request: 'opsrequest-cordon-abc12',
    });
    expect(created).toEqual([
      expect.objectContaining({
        requestedBy: 'U0ASKER',
        parameters: { node: 'dev1' },
        template: { namespace: 'monitoring', name: 'cordon' },
      }),
    ]);
    const missing = await runTool(tool, { template: 'cordon', parameters: {}, reason: 'r' }, context, {
      redactValue: (value: unknown) => redactor.redactValue(value),
    });
    expect(missing.output).toMatchObject({ status: 'invalid', message: 'missing parameters: node' });
    expect(created).toHaveLength(1);
  });

  it('bounds pod logs, refuses bad arguments and turns a slow read into an error', async () => {
    const logs = tools.find((candidate) => candidate.name === 'get_pod_logs')!;
    const tooMany = await runTool(logs, { namespace: 'a', name: 'b', tailLines: 5_000 }, context, {
      redactValue: (value: unknown) => redactor.redactValue(value),
    });
    expect(tooMany.ok).toBe(false);
    expect(tooMany.text).toContain('tailLines');
    const filtered = await runTool(logs, { namespace: 'a', name: 'b', keyword: 'OPENAI' }, context, {
      redactValue: (value: unknown) => redactor.redactValue(value),
    });
    expect(filtered.output).toMatchObject({ linesMatching: 40 });

    const slow = createAgentTools({
      reader: { ...reader, getNode: () => new Promise(() => undefined) },
      namespace: 'monitoring',
      redact: (text) => redactor.redact(text),
      opsRequests: { createOpsRequest: () => Promise.resolve({ namespace: 'x', name: 'y' }) },
    }).find((candidate) => candidate.name === 'get_node')!;
    const timedOut = await runTool(slow, { name: 'dev1' }, context, {
      redactValue: (value: unknown) => redactor.redactValue(value),
      timeoutMs: 50,
    });
    expect(timedOut.ok).toBe(false);
    expect(timedOut.text).toContain('did not answer within 50 ms');

    const big = await runTool(
      tools.find((candidate) => candidate.name === 'list_alerts')!,
      {},
      context,
      {
        redactValue: (value: unknown) => redactor.redactValue(value),
        maxOutputChars: 200,
      },
    );
    expect(big.truncated).toBe(true);
    expect(big.text.length).toBeLessThan(260);
  });
});
