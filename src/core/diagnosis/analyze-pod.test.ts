import { describe, expect, it } from 'vitest';
import { analyzePod } from './analyze-pod.js';
import { diagnoseFacts, resultOf } from './diagnose-facts.js';
import type { PodFacts } from './diagnosis-facts.js';
import { event, pod, podFacts, runningContainer } from './fixtures/build-facts.js';

interface Case {
  readonly name: string;
  readonly facts: PodFacts;
  readonly code: string;
  /** Substrings of the finding's message. */
  readonly says: readonly string[];
  /** Substrings of its evidence. */
  readonly evidence: readonly string[];
}

const cases: Case[] = [
  {
    name: 'image pull error (tag does not exist)',
    facts: podFacts(
      pod({
        phase: 'Pending',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          {
            name: 'main',
            ready: false,
            image: 'trainer:9.9',
            state: {
              waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "trainer:9.9"' },
            },
          },
        ],
      }),
      [event('Failed', 'Failed to pull image "trainer:9.9": rpc error: manifest unknown: manifest unknown')],
    ),
    code: 'ImagePullFailed',
    says: ['trainer:9.9', 'does not exist'],
    evidence: ['waiting ImagePullBackOff', 'manifest unknown'],
  },
  {
    name: 'image pull refused by the registry',
    facts: podFacts(
      pod({
        containerStatuses: [
          {
            name: 'main',
            image: 'private/x:1',
            state: {
              waiting: {
                reason: 'ErrImagePull',
                message:
                  'pull access denied, repository does not exist or may require authorization: unauthorized',
              },
            },
          },
        ],
      }),
    ),
    code: 'ImagePullFailed',
    says: ['private/x:1'],
    evidence: ['ErrImagePull'],
  },
  {
    name: 'crash loop with the last termination reason and exit code',
    facts: podFacts(
      pod({
        containerStatuses: [
          {
            name: 'main',
            ready: false,
            restartCount: 7,
            state: {
              waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' },
            },
            lastState: { terminated: { reason: 'Error', exitCode: 2 } },
          },
        ],
      }),
      [],
      [
        {
          container: 'main',
          previous: true,
          lines: ['starting', 'ERROR: config file /etc/app.yaml not found'],
        },
      ],
    ),
    code: 'CrashLoopBackOff',
    says: ['keeps crashing', '7 restarts', 'exit code 2'],
    evidence: [
      'last termination of container main: Error, exit code 2',
      'config file /etc/app.yaml not found',
    ],
  },
  {
    name: 'OOMKilled in the last termination',
    facts: podFacts(
      pod({
        containerStatuses: [
          {
            name: 'main',
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
          },
        ],
      }),
    ),
    code: 'OOMKilled',
    says: ['more memory than its limit', 'exit code 137'],
    evidence: ['OOMKilled, exit code 137', 'restart count 3'],
  },
  {
    name: 'unschedulable: not enough GPUs',
    facts: podFacts(
      pod({
        phase: 'Pending',
        containerStatuses: [],
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message:
              '0/12 nodes are available: 4 Insufficient nvidia.com/gpu, 8 node(s) had untolerated taint {dedicated: infer}. preemption: 0/12 nodes are available.',
          },
        ],
      }),
    ),
    code: 'PodUnschedulable',
    says: ['not enough free GPUs', 'taints'],
    evidence: ['Insufficient nvidia.com/gpu'],
  },
  {
    name: 'unschedulable: node affinity',
    facts: podFacts(
      pod({
        phase: 'Pending',
        containerStatuses: [],
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
          },
        ],
      }),
    ),
    code: 'PodUnschedulable',
    says: ['node affinity or nodeSelector'],
    evidence: ["didn't match Pod's node affinity"],
  },
  {
    name: 'unschedulable: cpu and memory',
    facts: podFacts(
      pod({
        phase: 'Pending',
        containerStatuses: [],
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available: 3 Insufficient cpu, 2 Insufficient memory.',
          },
        ],
      }),
    ),
    code: 'PodUnschedulable',
    says: ['not enough cpu, memory'],
    evidence: ['Insufficient cpu'],
  },
  {
    name: 'missing ConfigMap volume',
    facts: podFacts(
      pod({
        phase: 'Pending',
        containerStatuses: [{ name: 'main', state: { waiting: { reason: 'ContainerCreating' } } }],
      }),
      [
        event(
          'FailedMount',
          'MountVolume.SetUp failed for volume "cfg" : configmap "trainer-config" not found',
          'Warning',
          6,
        ),
      ],
    ),
    code: 'VolumeMountFailed',
    says: ['ContainerCreating', 'configmap trainer-config'],
    evidence: ['FailedMount ×6'],
  },
  {
    name: 'missing Secret in env (CreateContainerConfigError)',
    facts: podFacts(
      pod({
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'main',
            state: {
              waiting: { reason: 'CreateContainerConfigError', message: 'secret "db-password" not found' },
            },
          },
        ],
      }),
    ),
    code: 'ContainerConfigError',
    says: ['Secret db-password'],
    evidence: ['CreateContainerConfigError'],
  },
  {
    name: 'missing key in a ConfigMap',
    facts: podFacts(
      pod({
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'main',
            state: {
              waiting: {
                reason: 'CreateContainerConfigError',
                message: "couldn't find key LOG_LEVEL in ConfigMap team-a/app",
              },
            },
          },
        ],
      }),
    ),
    code: 'ContainerConfigError',
    says: ['key LOG_LEVEL is missing from ConfigMap team-a/app'],
    evidence: ['CreateContainerConfigError'],
  },
  {
    name: 'readiness probe failing',
    facts: podFacts(
      pod({
        conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
        containerStatuses: [runningContainer('main', { ready: false })],
      }),
      [event('Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 'Warning', 40)],
    ),
    code: 'ReadinessProbeFailed',
    says: ['not Ready'],
    evidence: ['statuscode: 503'],
  },
  {
    name: 'liveness probe failing',
    facts: podFacts(
      pod({
        containerStatuses: [
          runningContainer('main', {
            restartCount: 4,
            lastState: { terminated: { reason: 'Error', exitCode: 137 } },
          }),
        ],
      }),
      [
        event(
          'Unhealthy',
          'Liveness probe failed: Get "http://10.0.0.5:8080/healthz": context deadline exceeded',
        ),
      ],
    ),
    code: 'LivenessProbeFailed',
    says: ['keeps restarting'],
    evidence: ['Liveness probe failed'],
  },
  {
    name: 'evicted for disk pressure',
    facts: podFacts(
      pod({
        phase: 'Failed',
        reason: 'Evicted',
        message: 'The node was low on resource: ephemeral-storage. Threshold quantity: 10Gi, available: 2Gi.',
        containerStatuses: [],
      }),
    ),
    code: 'PodEvicted',
    says: ['node node-2', 'disk pressure'],
    evidence: ['low on resource: ephemeral-storage'],
  },
  {
    name: 'evicted for memory pressure',
    facts: podFacts(
      pod({
        phase: 'Failed',
        reason: 'Evicted',
        message: 'The node was low on resource: memory.',
        containerStatuses: [],
      }),
    ),
    code: 'PodEvicted',
    says: ['memory pressure'],
    evidence: ['memory'],
  },
  {
    name: 'init container failing',
    facts: podFacts(
      pod({
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'fetch-data', restartCount: 2, state: { terminated: { reason: 'Error', exitCode: 1 } } },
        ],
        containerStatuses: [{ name: 'main', state: { waiting: { reason: 'PodInitializing' } } }],
      }),
      [],
      [
        {
          container: 'fetch-data',
          previous: false,
          lines: ['curl: (6) Could not resolve host: data.internal'],
        },
      ],
    ),
    code: 'InitContainerFailed',
    says: ['Init container fetch-data', 'exit', 'main containers never start'],
    evidence: ['exit code 1', 'Could not resolve host'],
  },
  {
    name: 'init container in a crash loop',
    facts: podFacts(
      pod({
        phase: 'Pending',
        initContainerStatuses: [
          {
            name: 'migrate',
            restartCount: 5,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { reason: 'Error', exitCode: 3 } },
          },
        ],
        containerStatuses: [],
      }),
    ),
    code: 'InitCrashLoopBackOff',
    says: ['Init container migrate', 'exit code 3'],
    evidence: ['restart count 5'],
  },
  {
    name: 'failed container in a failed pod',
    facts: podFacts(
      pod({
        phase: 'Failed',
        containerStatuses: [{ name: 'main', state: { terminated: { reason: 'Error', exitCode: 42 } } }],
      }),
    ),
    code: 'ContainerFailed',
    says: ['exited with code 42'],
    evidence: ['Error, exit code 42'],
  },
  {
    name: 'sandbox creation failure',
    facts: podFacts(pod({ phase: 'Pending', containerStatuses: [] }), [
      event(
        'FailedCreatePodSandBox',
        'Failed to create pod sandbox: plugin type="calico" failed (add): error getting ClusterInformation',
      ),
    ]),
    code: 'PodSandboxFailed',
    says: ['pod sandbox'],
    evidence: ['calico'],
  },
];

describe('analyzePod', () => {
  it.each(cases)('$name → $code', ({ facts, code, says, evidence }) => {
    const findings = analyzePod(facts);
    const finding = findings.find((candidate) => candidate.code === code);
    expect(finding, `codes found: ${findings.map((f) => f.code).join(', ')}`).toBeDefined();
    expect(finding?.severity).toBe('failure');
    for (const text of says) expect(finding?.message).toContain(text);
    for (const text of evidence) expect(finding?.evidence.join('\n')).toContain(text);
    expect(diagnoseFacts(facts).verdict).toBe('UnHealthy');
  });

  it('says a running, ready pod is healthy, and lists no failure', () => {
    const outcome = diagnoseFacts(podFacts(pod()));
    expect(outcome.verdict).toBe('Healthy');
    expect(resultOf(outcome).failures).toEqual([]);
    expect(resultOf(outcome).infos[0]).toContain('Running and Ready');
  });

  it('turns Warning events nothing else explains into warnings', () => {
    const findings = analyzePod(
      podFacts(pod(), [
        event('FailedScheduling', 'old scheduling failure'),
        event('Pulled', 'pulled', 'Normal'),
      ]),
    );
    expect(
      findings.filter((finding) => finding.severity === 'warning').map((finding) => finding.message),
    ).toEqual(['FailedScheduling: old scheduling failure']);
  });

  it('puts the log lines it was given into the infos, in order', () => {
    const findings = analyzePod(
      podFacts(pod(), [], [{ container: 'main', previous: false, lines: ['a', 'b'] }]),
    );
    expect(findings.find((finding) => finding.code === 'ContainerLog')?.evidence).toEqual(['a', 'b']);
  });
});
