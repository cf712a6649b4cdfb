/**
 * The zod schemas (source of the TypeScript types) and the generated CRD schemas (what the API server enforces)
 * must agree: every object in the valid corpus passes both, every object in the invalid corpus fails both,
 * at the same field.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { crdInstallDirectory } from '../scripts/generate-crds.js';
import { aegisAlertOpsRuleSchema, aegisAlertSchema, crdDefinitions } from '../src/core/resources/index.js';
import type { CrdDefinition } from '../src/core/resources/index.js';
import { checkStructuralSchema, validateCustomResource } from '../src/sandbox/schema/index.js';

type Resource = Parameters<typeof validateCustomResource>[0];
type CrdSchema = Parameters<typeof validateCustomResource>[1];
type Fields = Record<string, unknown>;

const examples = new URL('../examples/cordon-on-emergency/', import.meta.url);
const at = '2025-06-01T08:00:00Z';

function definitionOf(kind: string | undefined): CrdDefinition {
  const definition = crdDefinitions.find((candidate) => candidate.kind === kind);
  if (definition === undefined) throw new Error(`no CRD definition for ${kind}`);
  return definition;
}

interface CrdFile {
  spec: { versions: { schema: { openAPIV3Schema: CrdSchema } }[] };
}

async function crdSchemaOf(kind: string | undefined): Promise<CrdSchema> {
  const file = join(crdInstallDirectory(), `aegis.io_${definitionOf(kind).plural}.yaml`);
  const crd = YAML.parse(await readFile(file, 'utf8')) as CrdFile;
  return crd.spec.versions[0]!.schema.openAPIV3Schema;
}

async function example(name: string): Promise<Resource> {
  return YAML.parse(await readFile(new URL(name, examples), 'utf8')) as Resource;
}

function object(kind: string, spec: Fields, status?: Fields): Resource {
  return {
    apiVersion: 'aegis.io/v1alpha1',
    kind,
    metadata: { name: `${kind.toLowerCase()}-sample`, namespace: 'monitoring' },
    spec,
    ...(status === undefined ? {} : { status }),
  };
}

const podTemplate = {
  metadata: { labels: { app: 'nodecheck' } },
  spec: {
    containers: [{ name: 'checker', image: 'registry.example/aegis-checker:v1', args: ['--all'] }],
    tolerations: [{ operator: 'Exists' }],
    nodeSelector: { 'node-role.kubernetes.io/gpu': 'true' },
  },
};

/** An AegisAlert as upstream Aegis (Go) writes it: `detials`, upstream conditions, no observedGeneration. */
const upstreamAlert: Resource = {
  apiVersion: 'aegis.io/v1alpha1',
  kind: 'AegisAlert',
  metadata: {
    name: 'default-nodehasemergencyevent-9njt4',
    generateName: 'default-nodehasemergencyevent-',
    namespace: 'monitoring',
    uid: '0d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    resourceVersion: '123456',
    generation: 1,
    creationTimestamp: at,
    annotations: { cluster: 'dev' },
    labels: {
      'alert-source-type': 'Default',
      'alert-status': 'Firing',
      'alert-type': 'NodeHasEmergencyEvent',
      fingerprint: '5f9c4ab08cac7457',
      node: 'gpu-node-17',
      uuid: '8e5f2a51-6c3b-4d7e-9f10-2a3b4c5d6e7f',
    },
  },
  spec: {
    selector: {
      matchLabels: {
        'alert-source-type': 'Default',
        'alert-status': 'Firing',
        'alert-type': 'NodeHasEmergencyEvent',
        fingerprint: '5f9c4ab08cac7457',
        node: 'gpu-node-17',
        uuid: '8e5f2a51-6c3b-4d7e-9f10-2a3b4c5d6e7f',
      },
    },
    source: 'Default',
    type: 'NodeHasEmergencyEvent',
    status: 'Firing',
    involvedObject: { kind: 'Node', name: 'gpu-node-17', node: 'gpu-node-17' },
    detials: { node: 'gpu-node-17', reason: 'XID 79: GPU has fallen off the bus' },
    ttlStrategy: { secondsAfterSuccess: 86400, secondsAfterFailure: 259200, secondsAfterNoOps: 86400 },
  },
  status: {
    status: 'Firing',
    count: 2,
    startTime: at,
    opsStatus: {
      startTime: '2025-06-01T08:00:02Z',
      completionTime: '2025-06-01T08:00:40Z',
      alertOpsStatus: 'Succeeded',
      triggerStatus: 'Triggered',
      total: 1,
      active: 0,
      succeeded: 1,
      failed: 0,
    },
    conditions: [
      {
        type: 'Complete',
        status: 'True',
        lastProbeTime: '2025-06-01T08:00:40Z',
        lastTransitionTime: '2025-06-01T08:00:40Z',
      },
    ],
  },
};

const newAlert = object(
  'AegisAlert',
  {
    source: 'Alertmanager',
    type: 'NodeHasMemoryPressure',
    severity: 'emergency',
    status: 'Firing',
    involvedObject: { kind: 'Node', name: 'cpu-node-3', node: 'cpu-node-3' },
    details: { node: 'cpu-node-3', description: 'working set above 90%' },
  },
  {
    status: 'Firing',
    count: 1,
    startTime: at,
    lastSeen: '2025-06-01T08:05:00Z',
    observedGeneration: 1,
    opsStatus: { triggerStatus: 'AwaitingApproval', message: 'waiting for 2 approvals' },
    approval: {
      state: 'Pending',
      requestedAt: at,
      expiresAt: '2025-06-01T08:30:00Z',
      rule: { namespace: 'monitoring', name: 'drop-caches' },
      template: { namespace: 'monitoring', name: 'drop-caches' },
      renderedManifest: 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n',
      manifestDigest: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      approvers: ['U01ABCDEF', 'S02GHIJKL'],
      minApprovals: 2,
      allowSelfApproval: false,
      history: [{ decision: 'Approved', by: 'U01ABCDEF', via: 'slack', at: '2025-06-01T08:03:00Z' }],
    },
    slack: { channel: 'C0123456789', ts: '1717228800.000100' },
    conditions: [
      {
        type: 'AwaitingApproval',
        status: 'True',
        observedGeneration: 1,
        lastTransitionTime: at,
        reason: 'ApprovalRequired',
        message: 'rule drop-caches requires approval',
      },
    ],
  },
);

async function validCorpus(): Promise<[string, Resource][]> {
  return [
    ['canonical rule (examples/cordon-on-emergency/rule.yaml)', await example('rule.yaml')],
    ['canonical template (examples/cordon-on-emergency/template.yaml)', await example('template.yaml')],
    ['upstream-written alert with detials', upstreamAlert],
    [
      'upstream alert that found too many rules (upstream spelling, condition without reason)',
      object(
        'AegisAlert',
        { type: 'NodeCriticalIssueDisappeared', status: 'Firing', detials: { node: 'n1' } },
        {
          status: 'Firing',
          count: 1,
          startTime: at,
          opsStatus: { triggerStatus: 'TooManyRuletFound' },
          conditions: [{ type: 'FailedCreateWorkflow', status: 'True', lastTransitionTime: at }],
        },
      ),
    ],
    ['alert waiting for approval with a Slack thread', newAlert],
    [
      'ops request waiting for approval',
      object(
        'AegisAlert',
        {
          source: 'OpsRequest',
          type: 'OpsRequest',
          status: 'Firing',
          involvedObject: {
            kind: 'AegisOpsTemplate',
            namespace: 'monitoring',
            name: 'cordon-node',
            node: 'n1',
          },
          opsRequest: {
            template: { namespace: 'monitoring', name: 'cordon-node' },
            parameters: { node: 'n1' },
            requestedBy: 'U01ABCDEF',
            reason: 'ECC errors',
          },
        },
        {
          status: 'Firing',
          count: 1,
          startTime: at,
          opsStatus: { triggerStatus: 'AwaitingApproval' },
          approval: {
            state: 'Cancelled',
            requestedAt: at,
            requestedBy: 'U01ABCDEF',
            decidedAt: '2025-06-01T08:10:00Z',
            history: [
              { decision: 'Approved', by: 'U02', via: 'api', at, group: 'S-oncall' },
              { decision: 'Cancelled', by: 'aegis', via: 'controller', at: '2025-06-01T08:10:00Z' },
            ],
          },
        },
      ),
    ],
    [
      'resolved alert',
      object(
        'AegisAlert',
        {
          type: 'PodCrashLoop',
          status: 'Resolved',
          involvedObject: { kind: 'Pod', name: 'p', namespace: 'ml' },
        },
        { status: 'Resolved', count: 4, startTime: at, resolvedAt: '2025-06-01T09:00:00Z' },
      ),
    ],
    [
      'rule with selector and approval',
      object(
        'AegisAlertOpsRule',
        {
          selector: {
            matchLabels: { severity: 'emergency' },
            matchExpressions: [{ key: 'node', operator: 'Exists' }],
          },
          alertConditions: [{ type: 'NodeHasMemoryPressure', status: 'Firing' }],
          opsTemplate: { kind: 'AegisOpsTemplate', namespace: 'monitoring', name: 'drop-caches' },
          approval: {
            required: true,
            approvers: ['U01ABCDEF', 'S02GHIJKL'],
            minApprovals: 2,
            timeout: '1h30m',
            allowSelfApproval: false,
          },
        },
        {
          status: 'Recorded',
          observedGeneration: 3,
          triggerStatus: { succeeded: 5, failed: 1 },
          conditions: [
            { type: 'Ready', status: 'True', lastTransitionTime: at, reason: 'Recorded', message: '' },
          ],
        },
      ),
    ],
    [
      'invalid template recorded as Invalid',
      object(
        'AegisOpsTemplate',
        { manifest: 'kind: Workflow\nspec: {{.node' },
        {
          status: 'Invalid',
          message: 'template: manifest:2: unclosed action',
          executeStatus: { succeeded: 0, failed: 0 },
          observedGeneration: 1,
          conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: at, reason: 'ParseError' }],
        },
      ),
    ],
    [
      'completed PyTorchJob diagnosis (upstream kind spelling)',
      object(
        'AegisDiagnosis',
        {
          object: { kind: 'PytorchJob', name: 'llama-pretrain', namespace: 'ml' },
          timeout: '10m',
          ttlStrategy: { secondsAfterCompletion: 604800 },
          language: 'English',
        },
        {
          phase: 'Completed',
          startTime: at,
          completionTime: '2025-06-01T08:02:00Z',
          result: {
            status: 'UnHealthy',
            failures: ['worker-3 OOMKilled'],
            warnings: [],
            infos: ['4 workers'],
          },
          explain: 'Healthy: No\nError: worker-3 ran out of memory',
          observedGeneration: 1,
        },
      ),
    ],
    ['pending node diagnosis', object('AegisDiagnosis', { object: { kind: 'Node', name: 'gpu-node-17' } })],
    [
      'node health check with results',
      object(
        'AegisNodeHealthCheck',
        { node: 'gpu-node-17', template: podTemplate, timeout: 300, schedule: '0 * * * *' },
        {
          status: 'Succeeded',
          startTime: at,
          completionTime: '2025-06-01T08:01:00Z',
          results: {
            gpu: [
              {
                item: 'xid',
                condition: 'XIDHWSystemErr',
                level: 'critical',
                status: true,
                message: 'xid 79',
              },
            ],
            disk: [
              { item: 'root', condition: 'DiskUnhealthy', level: 'warning', status: false, message: '' },
            ],
          },
          conditions: [{ type: 'Succeed', status: 'True', lastTransitionTime: at }],
        },
      ),
    ],
    [
      'scheduled cluster health check',
      object(
        'AegisClusterHealthCheck',
        {
          schedule: '*/30 * * * *',
          timeout: 600,
          ruleConfigmapSelector: { matchLabels: { 'aegis.io/check-rules': 'gpu' } },
          template: podTemplate,
        },
        {
          phase: 'Completed',
          startTime: at,
          completionTime: '2025-06-01T08:10:00Z',
          desired: 3,
          active: 0,
          succeeded: 2,
          failed: 1,
          checkResults: {
            checkType: 'Node',
            results: [{ name: 'gpu-node-17', resultInfos: { gpu: [{ item: 'xid', status: true }] } }],
          },
        },
      ),
    ],
  ];
}

const rule = (spec: Fields) =>
  object('AegisAlertOpsRule', {
    alertConditions: [{ type: 'NodeNotReady', status: 'Firing' }],
    opsTemplate: { name: 'cordon' },
    ...spec,
  });
const alert = (spec: Fields, status?: Fields) =>
  object('AegisAlert', { type: 'NodeNotReady', status: 'Firing', ...spec }, status);
const condition = { type: 'Ready', status: 'True', lastTransitionTime: at };

/** [description, object, the field both validators must point at] */
const invalidCorpus: [string, Resource, string][] = [
  ['alert status with the upstream Resovled typo', alert({ status: 'Resovled' }), 'spec.status'],
  ['alert without a type', object('AegisAlert', { status: 'Firing' }), 'spec.type'],
  ['alert count as a string', alert({}, { count: 'three' }), 'status.count'],
  [
    'alert with an unknown trigger status',
    alert({}, { opsStatus: { triggerStatus: 'Bogus' } }),
    'status.opsStatus.triggerStatus',
  ],
  ['alert detail that is not a string', alert({ details: { node: 7 } }), 'spec.details.node'],
  [
    'alert approval in an unknown state',
    alert({}, { approval: { state: 'Maybe', requestedAt: at } }),
    'status.approval.state',
  ],
  [
    'approval decision without who made it',
    alert(
      {},
      {
        approval: {
          state: 'Pending',
          requestedAt: at,
          history: [{ decision: 'Approved', at, via: 'cli' }],
        },
      },
    ),
    'status.approval.history[0].by',
  ],
  [
    'approval decision through an unknown channel',
    alert(
      {},
      {
        approval: {
          state: 'Pending',
          requestedAt: at,
          history: [{ decision: 'Approved', by: 'U1', at, via: 'fax' }],
        },
      },
    ),
    'status.approval.history[0].via',
  ],
  ['alert start time that is not a timestamp', alert({}, { startTime: 'yesterday' }), 'status.startTime'],
  [
    'condition with status Yes',
    alert({}, { conditions: [{ ...condition, status: 'Yes' }] }),
    'status.conditions[0].status',
  ],
  [
    'condition without a type',
    alert({}, { conditions: [{ status: 'True', lastTransitionTime: at }] }),
    'status.conditions[0].type',
  ],
  ['negative observedGeneration', alert({}, { observedGeneration: -1 }), 'status.observedGeneration'],
  [
    'rule without a template reference',
    object('AegisAlertOpsRule', { alertConditions: [{ type: 'A', status: 'Firing' }] }),
    'spec.opsTemplate',
  ],
  [
    'rule conditions that are not a list',
    rule({ alertConditions: { type: 'A', status: 'Firing' } }),
    'spec.alertConditions',
  ],
  [
    'rule with zero required approvals',
    rule({ approval: { minApprovals: 0 } }),
    'spec.approval.minApprovals',
  ],
  ['rule approval required as a string', rule({ approval: { required: 'yes' } }), 'spec.approval.required'],
  [
    'rule approval timeout that is not a duration',
    rule({ approval: { timeout: 'soon' } }),
    'spec.approval.timeout',
  ],
  [
    'rule referencing another kind',
    rule({ opsTemplate: { kind: 'ConfigMap', name: 'x' } }),
    'spec.opsTemplate.kind',
  ],
  ['template without a manifest', object('AegisOpsTemplate', { generateName: 'x-' }), 'spec.manifest'],
  [
    'template status Done',
    object('AegisOpsTemplate', { manifest: 'kind: Workflow' }, { status: 'Done' }),
    'status.status',
  ],
  [
    'diagnosis of a Deployment',
    object('AegisDiagnosis', { object: { kind: 'Deployment', name: 'd' } }),
    'spec.object.kind',
  ],
  [
    'diagnosis without an object name',
    object('AegisDiagnosis', { object: { kind: 'Pod' } }),
    'spec.object.name',
  ],
  [
    'diagnosis phase Running',
    object('AegisDiagnosis', { object: { kind: 'Node', name: 'n' } }, { phase: 'Running' }),
    'status.phase',
  ],
  [
    'diagnosis result Sick',
    object('AegisDiagnosis', { object: { kind: 'Node', name: 'n' } }, { result: { status: 'Sick' } }),
    'status.result.status',
  ],
  ['node check without a node', object('AegisNodeHealthCheck', { template: podTemplate }), 'spec.node'],
  [
    'node check template as a string',
    object('AegisNodeHealthCheck', { node: 'n', template: 'pod.yaml' }),
    'spec.template',
  ],
  [
    'node check result status as a string',
    object(
      'AegisNodeHealthCheck',
      { node: 'n', template: podTemplate },
      { results: { gpu: [{ status: 'yes' }] } },
    ),
    'status.results.gpu[0].status',
  ],
  [
    'cluster check timeout as a duration string',
    object('AegisClusterHealthCheck', { timeout: '60s', template: podTemplate }),
    'spec.timeout',
  ],
  [
    'cluster check with a negative desired count',
    object('AegisClusterHealthCheck', { template: podTemplate }, { desired: -1 }),
    'status.desired',
  ],
  [
    'object without a spec',
    { apiVersion: 'aegis.io/v1alpha1', kind: 'AegisOpsTemplate', metadata: { name: 'x' } },
    'spec',
  ],
];

/** zod issue path → Kubernetes field path (`status.conditions[0].type`). */
function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

describe('zod schemas and CRD schemas agree', () => {
  it('accept the valid corpus', async () => {
    for (const [name, value] of await validCorpus()) {
      const definition = definitionOf(value.kind);
      const parsed = definition.objectSchema.safeParse(value);
      expect(parsed.success ? [] : parsed.error.issues, `zod: ${name}`).toEqual([]);
      const result = validateCustomResource(value, await crdSchemaOf(value.kind), {
        fieldValidation: 'Strict',
      });
      expect(result.causes, `CRD: ${name}`).toEqual([]);
      expect(result.unknownFields, `CRD unknown fields: ${name}`).toEqual([]);
    }
  });

  it.each(invalidCorpus)('reject %s, at the same field', async (_name, value, field) => {
    const parsed = definitionOf(value.kind).objectSchema.safeParse(value);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error.issues.map((issue) => fieldPath(issue.path))).toContain(field);
    const result = validateCustomResource(value, await crdSchemaOf(value.kind), {
      fieldValidation: 'Strict',
    });
    expect(result.causes.map((cause) => cause.field)).toContain(field);
  });

  it('reject duplicate condition types in zod (the CRD declares a list-map keyed by type)', () => {
    // kube-apiserver rejects duplicate keys of an x-kubernetes-list-type: map list; the sandbox validator does
    // not check list-map uniqueness yet, so only the zod side and the CRD declaration are asserted here.
    const value = alert({}, { conditions: [condition, { ...condition, status: 'False' }] });
    expect(definitionOf('AegisAlert').objectSchema.safeParse(value).success).toBe(false);
  });

  it('apply the same defaults', async () => {
    const value = rule({ approval: { approvers: ['U01ABCDEF'] } });
    const parsed = aegisAlertOpsRuleSchema.parse(value);
    const result = validateCustomResource(value, await crdSchemaOf('AegisAlertOpsRule'), {
      fieldValidation: 'Strict',
    });
    expect(result.causes).toEqual([]);
    expect((result.object.spec as Fields).approval).toEqual(parsed.spec.approval);
  });

  it('both drop an unknown field (zod strips it, the API server reports and prunes it)', async () => {
    const value = alert({ bogus: 'x' });
    const parsed = aegisAlertSchema.parse(value);
    expect(parsed.spec).not.toHaveProperty('bogus');
    const result = validateCustomResource(value, await crdSchemaOf('AegisAlert'), {
      fieldValidation: 'Strict',
    });
    expect(result.unknownFields).toEqual([expect.stringContaining('spec.bogus')]);
  });
});

describe('CRD schemas are structural', () => {
  it.each(crdDefinitions.map((definition) => [definition.kind] as const))('%s', async (kind) => {
    expect(checkStructuralSchema(await crdSchemaOf(kind), 'spec.validation.openAPIV3Schema')).toEqual([]);
  });
});
