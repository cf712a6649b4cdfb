/**
 * Why a kubeflow.org/v1 PyTorchJob is unhealthy: its active condition, the replicas it expects against the pods
 * that run, the master and abnormal workers analysed as pods, and NCCL / CUDA / OOM errors in their logs. Pure.
 */
import { analyzePod } from './analyze-pod.js';
import type { PodFacts, PyTorchJobFacts } from './diagnosis-facts.js';
import { describeCondition, describeEvent, latestFirst } from './facts-helpers.js';
import { failure, info, prefixed, warning, type Finding } from './finding.js';
import type { PodObject, StatusCondition } from './kube-shapes.js';
import { findTrainingErrors } from './training-log-errors.js';

export const replicaTypeLabel = 'training.kubeflow.org/replica-type';
export const jobNameLabel = 'training.kubeflow.org/job-name';

/** Upstream's order: the first condition with status True in this order is the job's state. */
const conditionPriority = ['Failed', 'Restarting', 'Succeeded', 'Suspended', 'Running', 'Created'];

export function activeJobCondition(
  conditions: readonly StatusCondition[] | undefined,
): StatusCondition | undefined {
  for (const type of conditionPriority) {
    const condition = conditions?.find((candidate) => candidate.type === type && candidate.status === 'True');
    if (condition !== undefined) return condition;
  }
  return undefined;
}

export function podRole(pod: PodObject): string {
  return (pod.metadata?.labels?.[replicaTypeLabel] ?? '').toLowerCase();
}

/** Failed, Pending or Unknown, or Running without Ready=True. */
export function isAbnormalPod(pod: PodObject): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Pending' || phase === 'Unknown' || phase === undefined) return true;
  if (phase !== 'Running') return false;
  return pod.status?.conditions?.find((condition) => condition.type === 'Ready')?.status !== 'True';
}

export function analyzePyTorchJob(facts: PyTorchJobFacts): Finding[] {
  const { job } = facts;
  const name = job.metadata?.name ?? '?';
  const findings: Finding[] = [];
  const active = activeJobCondition(job.status?.conditions);
  const state = active?.type ?? 'Unknown';

  if (active === undefined) {
    findings.push(
      warning(
        'JobNoCondition',
        `PyTorchJob ${name} has no active condition yet (the training operator has not picked it up).`,
      ),
    );
  } else if (state === 'Failed') {
    findings.push(
      failure('JobFailed', `PyTorchJob ${name} failed: ${active.message ?? active.reason ?? 'no message'}.`, [
        describeCondition(active),
      ]),
    );
  } else if (state === 'Restarting') {
    findings.push(
      warning(
        'JobRestarting',
        `PyTorchJob ${name} is restarting replicas: ${active.message ?? active.reason ?? ''}.`,
        [describeCondition(active)],
      ),
    );
  } else if (state === 'Succeeded') {
    findings.push(
      info('JobSucceeded', `PyTorchJob ${name} completed successfully.`, [describeCondition(active)]),
    );
  } else {
    findings.push(info(`Job${state}`, `PyTorchJob ${name} is ${state}.`, [describeCondition(active)]));
  }

  if (state === 'Running' || state === 'Created' || state === 'Restarting' || state === 'Failed') {
    findings.push(...replicaCounts(facts));
  }
  if (state !== 'Succeeded' && state !== 'Suspended') {
    for (const podFacts of facts.analysedPods) findings.push(...podFindings(podFacts));
  }
  for (const event of latestFirst(facts.events)) {
    if (event.type === 'Warning')
      findings.push(warning('WarningEvent', `${event.reason}: ${event.message}`, [describeEvent(event)]));
  }
  return findings;
}

function replicaCounts(facts: PyTorchJobFacts): Finding[] {
  const findings: Finding[] = [];
  for (const [role, spec] of Object.entries(facts.job.spec?.pytorchReplicaSpecs ?? {})) {
    const expected = spec?.replicas ?? 1;
    const pods = facts.pods.filter((pod) => podRole(pod) === role.toLowerCase());
    const running = pods.filter((pod) => pod.status?.phase === 'Running' && !isAbnormalPod(pod)).length;
    if (running < expected) {
      const notRunning = pods.filter((pod) => isAbnormalPod(pod));
      findings.push(
        failure(
          `${role}ReplicasMissing`,
          `Only ${running} of ${expected} ${role.toLowerCase()} replicas are running and ready (${pods.length} pods exist).`,
          [
            `spec.pytorchReplicaSpecs.${role}.replicas=${expected}`,
            ...notRunning
              .slice(0, 5)
              .map((pod) => `pod ${pod.metadata?.name ?? '?'} ${pod.status?.phase ?? 'Unknown'}`),
          ],
        ),
      );
    }
  }
  return findings;
}

function podFindings(facts: PodFacts): Finding[] {
  const podName = facts.pod.metadata?.name ?? '?';
  const role = podRole(facts.pod) || 'pod';
  const fromPod = analyzePod(facts).filter(
    (finding) => finding.code !== 'PodHealthy' && finding.code !== 'ContainerLog',
  );
  const findings = prefixed(`${role} pod ${podName}: `, fromPod);
  const lines = facts.logs.flatMap((log) => log.lines);
  const errors = findTrainingErrors(lines);
  const byCode = new Map<string, string[]>();
  for (const error of errors) byCode.set(error.code, [...(byCode.get(error.code) ?? []), error.line]);
  const meaning: Record<string, string> = {
    NcclError: 'NCCL communication between ranks failed (network/IB, a dead peer, or a collective timeout)',
    CudaError: 'a CUDA error was raised (driver, device or kernel fault)',
    TrainingOutOfMemory: 'the training ran out of GPU or host memory (lower the batch size or use more GPUs)',
  };
  for (const [code, evidence] of byCode) {
    findings.push(
      failure(
        code,
        `${role} pod ${podName}: ${meaning[code] ?? code}.`,
        evidence.slice(-5).map((line) => `log: ${line}`),
      ),
    );
  }
  for (const log of facts.logs) {
    if (log.lines.length > 0)
      findings.push(
        info(
          'ContainerLog',
          `${role} pod ${podName}: ${log.previous ? 'previous ' : ''}log of container ${log.container}.`,
          log.lines,
        ),
      );
  }
  return findings;
}
