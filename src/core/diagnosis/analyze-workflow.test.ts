import { describe, expect, it } from 'vitest';
import { analyzeWorkflow } from './analyze-workflow.js';
import type { WorkflowFacts } from './diagnosis-facts.js';
import { event, pod, podFacts } from './fixtures/build-facts.js';
import type { WorkflowObject } from './kube-shapes.js';

function workflow(
  status: NonNullable<WorkflowObject['status']>,
  serviceAccountName?: string,
): WorkflowObject {
  return {
    metadata: { name: 'drain-gpu-7', namespace: 'monitoring' },
    spec: { entrypoint: 'main', ...(serviceAccountName === undefined ? {} : { serviceAccountName }) },
    status,
  };
}

const failedStep = {
  phase: 'Failed',
  message: "child 'drain-gpu-7-1234' failed",
  nodes: {
    'drain-gpu-7': { id: 'drain-gpu-7', name: 'drain-gpu-7', type: 'Steps', phase: 'Failed' },
    'drain-gpu-7-1234': {
      id: 'drain-gpu-7-1234',
      name: 'drain-gpu-7[0].drain',
      displayName: 'drain',
      type: 'Pod',
      templateName: 'drain',
      phase: 'Failed',
      message: 'Error (exit code 1)',
      outputs: { exitCode: '1' },
    },
  },
};
const stepPod = pod(
  {
    phase: 'Failed',
    containerStatuses: [{ name: 'main', state: { terminated: { reason: 'Error', exitCode: 1 } } }],
  },
  'drain-gpu-7-drain-1234',
);

interface Case {
  readonly name: string;
  readonly facts: WorkflowFacts;
  readonly code: string;
  readonly severity?: 'failure' | 'info';
  readonly says: readonly string[];
  readonly evidence: readonly string[];
}

const cases: Case[] = [
  {
    name: 'failed step with its message, exit code and log',
    facts: {
      kind: 'Workflow',
      workflow: workflow(failedStep),
      events: [],
      stepPods: [
        {
          ...podFacts(
            stepPod,
            [],
            [
              {
                container: 'main',
                previous: false,
                lines: [
                  'evicting pod team-a/web-1',
                  "error: cannot evict pod as it would violate the pod's disruption budget",
                ],
              },
            ],
          ),
          nodeId: 'drain-gpu-7-1234',
        },
      ],
    },
    code: 'WorkflowStepFailed',
    says: ['Step drain (template drain) failed with exit code 1', 'Error (exit code 1)'],
    evidence: [
      'node drain-gpu-7-1234 phase Failed',
      "log: error: cannot evict pod as it would violate the pod's disruption budget",
    ],
  },
  {
    name: 'the workflow failed as a whole',
    facts: { kind: 'Workflow', workflow: workflow(failedStep), events: [], stepPods: [] },
    code: 'WorkflowFailed',
    says: ['Workflow drain-gpu-7 failed'],
    evidence: ['phase Failed'],
  },
  {
    name: 'RBAC: the service account may not do it',
    facts: {
      kind: 'Workflow',
      workflow: workflow(
        {
          phase: 'Error',
          message:
            'pods "drain-gpu-7" is forbidden: User "system:serviceaccount:monitoring:ops" cannot patch resource "pods" in API group "" in the namespace "monitoring"',
        },
        'ops',
      ),
      events: [],
      stepPods: [],
    },
    code: 'WorkflowPermissionDenied',
    says: ['service account ops', 'RBAC'],
    evidence: ['is forbidden'],
  },
  {
    name: 'missing service account',
    facts: {
      kind: 'Workflow',
      workflow: workflow(
        {
          phase: 'Error',
          message: 'error in entry template execution: serviceaccounts "ops-runner" not found',
        },
        'ops-runner',
      ),
      events: [],
      stepPods: [],
    },
    code: 'WorkflowServiceAccountMissing',
    says: ['service account ops-runner', 'does not exist'],
    evidence: ['serviceaccounts "ops-runner" not found'],
  },
  {
    name: 'missing template',
    facts: {
      kind: 'Workflow',
      workflow: workflow({
        phase: 'Failed',
        message: "invalid spec: templates.main.steps[0].drain template name 'drain-node' undefined",
      }),
      events: [],
      stepPods: [],
    },
    code: 'WorkflowTemplateMissing',
    says: ['template that does not exist'],
    evidence: ["template name 'drain-node' undefined"],
  },
  {
    name: 'missing WorkflowTemplate from an event',
    facts: {
      kind: 'Workflow',
      workflow: workflow({ phase: 'Error', message: 'workflow validation failed' }),
      events: [event('WorkflowFailed', 'workflowtemplates.argoproj.io "gpu-reset" not found')],
      stepPods: [],
    },
    code: 'WorkflowTemplateMissing',
    says: ['template that does not exist'],
    evidence: ['workflowtemplates.argoproj.io "gpu-reset" not found'],
  },
  {
    name: 'succeeded',
    facts: {
      kind: 'Workflow',
      workflow: workflow({ phase: 'Succeeded', progress: '2/2' }),
      events: [],
      stepPods: [],
    },
    code: 'WorkflowSucceeded',
    severity: 'info',
    says: ['succeeded'],
    evidence: ['progress 2/2'],
  },
];

describe('analyzeWorkflow', () => {
  it.each(cases)('$name → $code', ({ facts, code, severity, says, evidence }) => {
    const findings = analyzeWorkflow(facts);
    const finding = findings.find((candidate) => candidate.code === code);
    expect(finding, `codes found: ${findings.map((f) => f.code).join(', ')}`).toBeDefined();
    expect(finding?.severity).toBe(severity ?? 'failure');
    for (const text of says) expect(finding?.message).toContain(text);
    for (const text of evidence) expect(finding?.evidence.join('\n')).toContain(text);
  });
});
