import { describe, expect, it } from 'vitest';
import { analyzePyTorchJob } from './analyze-pytorchjob.js';
import { diagnoseFacts } from './diagnose-facts.js';
import type { PyTorchJobFacts } from './diagnosis-facts.js';
import { pod, podFacts, runningContainer } from './fixtures/build-facts.js';
import type { PodObject, PyTorchJobObject } from './kube-shapes.js';

const role = (replica: string): Record<string, string> => ({
  'training.kubeflow.org/job-name': 'llama',
  'training.kubeflow.org/replica-type': replica,
});

function job(condition: { type: string; reason?: string; message?: string }, workers = 2): PyTorchJobObject {
  return {
    metadata: { name: 'llama', namespace: 'team-a' },
    spec: { pytorchReplicaSpecs: { Master: { replicas: 1 }, Worker: { replicas: workers } } },
    status: {
      conditions: [
        { type: 'Created', status: 'True' },
        { ...condition, status: 'True' },
      ],
    },
  };
}

const master = pod({}, 'llama-master-0', role('master'));
const worker = (index: number, status: Parameters<typeof pod>[0] = {}): PodObject =>
  pod(status, `llama-worker-${index}`, role('worker'));
const crashed = worker(1, {
  phase: 'Running',
  conditions: [{ type: 'Ready', status: 'False' }],
  containerStatuses: [
    {
      name: 'main',
      restartCount: 3,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { reason: 'Error', exitCode: 1 } },
    },
  ],
});

function facts(
  jobObject: PyTorchJobObject,
  pods: PodObject[],
  analysed: PyTorchJobFacts['analysedPods'] = [],
): PyTorchJobFacts {
  return { kind: 'PyTorchJob', job: jobObject, events: [], pods, analysedPods: analysed };
}

interface Case {
  readonly name: string;
  readonly facts: PyTorchJobFacts;
  readonly code: string;
  readonly severity?: 'failure' | 'warning' | 'info';
  readonly says: readonly string[];
  readonly evidence: readonly string[];
}

const cases: Case[] = [
  {
    name: 'job Failed condition',
    facts: facts(
      job({
        type: 'Failed',
        reason: 'PyTorchJobFailed',
        message: 'PyTorchJob llama is failed because 1 Worker replica(s) failed.',
      }),
      [master, worker(0)],
    ),
    code: 'JobFailed',
    says: ['1 Worker replica(s) failed'],
    evidence: ['condition Failed=True (PyTorchJobFailed)'],
  },
  {
    name: 'job Restarting',
    facts: facts(
      job({ type: 'Restarting', reason: 'PyTorchJobRestarting', message: 'worker 1 restarting' }),
      [master, worker(0), worker(1)],
    ),
    code: 'JobRestarting',
    severity: 'warning',
    says: ['restarting'],
    evidence: ['Restarting=True'],
  },
  {
    name: 'fewer workers running than expected',
    facts: facts(job({ type: 'Running' }, 3), [master, worker(0), crashed]),
    code: 'WorkerReplicasMissing',
    says: ['Only 1 of 3 worker replicas', '2 pods exist'],
    evidence: ['spec.pytorchReplicaSpecs.Worker.replicas=3', 'pod llama-worker-1 Running'],
  },
  {
    name: 'abnormal worker analysed as a pod',
    facts: facts(job({ type: 'Running' }), [master, worker(0), crashed], [podFacts(crashed)]),
    code: 'CrashLoopBackOff',
    says: ['worker pod llama-worker-1: Container main keeps crashing'],
    evidence: ['exit code 1'],
  },
  {
    name: 'NCCL error in a worker log',
    facts: facts(
      job({ type: 'Running' }),
      [master, worker(0), crashed],
      [
        podFacts(
          crashed,
          [],
          [
            {
              container: 'main',
              previous: true,
              lines: [
                'step 100',
                'torch.distributed.DistBackendError: NCCL error in: ProcessGroupNCCL.cpp:1275, unhandled system error',
                'ncclSystemError: System call (e.g. socket, malloc) or external library call failed',
              ],
            },
          ],
        ),
      ],
    ),
    code: 'NcclError',
    says: ['worker pod llama-worker-1', 'NCCL communication'],
    evidence: ['ncclSystemError'],
  },
  {
    name: 'CUDA out of memory in the master log',
    facts: facts(
      job({ type: 'Running' }),
      [master, worker(0), worker(2)],
      [
        podFacts(
          master,
          [],
          [
            {
              container: 'main',
              previous: false,
              lines: ['torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB'],
            },
          ],
        ),
      ],
    ),
    code: 'TrainingOutOfMemory',
    says: ['master pod llama-master-0', 'ran out of GPU or host memory'],
    evidence: ['CUDA out of memory'],
  },
  {
    name: 'CUDA error in a log',
    facts: facts(
      job({ type: 'Running' }),
      [master, worker(0), worker(2)],
      [
        podFacts(
          master,
          [],
          [
            {
              container: 'main',
              previous: false,
              lines: ['RuntimeError: CUDA error: an illegal memory access was encountered'],
            },
          ],
        ),
      ],
    ),
    code: 'CudaError',
    says: ['CUDA error was raised'],
    evidence: ['illegal memory access'],
  },
  {
    name: 'job Succeeded',
    facts: facts(job({ type: 'Succeeded', reason: 'PyTorchJobSucceeded' }), []),
    code: 'JobSucceeded',
    severity: 'info',
    says: ['completed successfully'],
    evidence: ['Succeeded=True'],
  },
];

describe('analyzePyTorchJob', () => {
  it.each(cases)('$name → $code', ({ facts: input, code, severity, says, evidence }) => {
    const findings = analyzePyTorchJob(input);
    const finding = findings.find((candidate) => candidate.code === code);
    expect(finding, `codes found: ${findings.map((f) => f.code).join(', ')}`).toBeDefined();
    expect(finding?.severity).toBe(severity ?? 'failure');
    for (const text of says) expect(finding?.message).toContain(text);
    for (const text of evidence) expect(finding?.evidence.join('\n')).toContain(text);
  });

  it('is healthy when every replica runs and is ready', () => {
    const outcome = diagnoseFacts(
      facts(
        job({ type: 'Running' }),
        [master, worker(0), worker(1, { containerStatuses: [runningContainer()] })],
        [podFacts(master)],
      ),
    );
    expect(outcome.findings.filter((finding) => finding.severity !== 'info')).toEqual([]);
    expect(outcome.verdict).toBe('Healthy');
  });

  it('warns when the job has no condition yet', () => {
    const findings = analyzePyTorchJob(facts({ metadata: { name: 'llama' } }, []));
    expect(findings.map((finding) => finding.code)).toEqual(['JobNoCondition']);
  });
});
