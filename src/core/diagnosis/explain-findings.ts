/**
 * The deterministic `status.explain` used without an LLM: the same four parts the LLM answers with
 * (Healthy / Error / Analysis / Solution), built from the findings only, so it never invents anything.
 */
import type { DiagnosisOutcome } from './diagnose-facts.js';
import type { Finding } from './finding.js';

const solutions: Readonly<Record<string, string>> = {
  ObjectNotFound: 'Check the kind, name and namespace; the object may have been deleted.',
  PodUnschedulable:
    "Free or add capacity (GPUs, CPU, memory), or relax the pod's nodeSelector, affinity or tolerations.",
  ImagePullFailed: 'Fix the image name or tag, or give the pod an imagePullSecret the registry accepts.',
  InitImagePullFailed: "Fix the init container's image name or tag, or its pull secret.",
  CrashLoopBackOff:
    'Read the previous log of the container for the crash; fix the command, its configuration or its dependencies.',
  InitCrashLoopBackOff: "Read the init container's previous log; it must exit 0 before the pod starts.",
  OOMKilled: "Raise the container's memory limit or reduce its memory use.",
  InitOOMKilled: "Raise the init container's memory limit.",
  ContainerFailed: "Read the container's log for the error behind the exit code.",
  InitContainerFailed: "Read the init container's log; it must exit 0 before the pod starts.",
  InitContainerFailedExit: "Read the init container's log.",
  ContainerConfigError: 'Create the missing ConfigMap/Secret or key, or fix the reference in the pod spec.',
  InitContainerConfigError: 'Create the missing ConfigMap/Secret or key the init container uses.',
  VolumeMountFailed: 'Create the missing ConfigMap/Secret/PVC, or fix the volume in the pod spec.',
  PodSandboxFailed: 'Check the CNI plugin and the container runtime on the node.',
  LivenessProbeFailed: "Fix the liveness probe (path, port, timeout) or the application's health endpoint.",
  ReadinessProbeFailed: 'Fix the readiness probe or whatever keeps the application from becoming ready.',
  StartupProbeFailed:
    'Give the startup probe more time (failureThreshold × periodSeconds) or fix the start-up.',
  PodEvicted:
    'Free resources on the node or set requests and limits; the controller recreates the pod elsewhere.',
  NodeNotReady: 'Check the kubelet and the container runtime on the node (journalctl -u kubelet).',
  NodeUnreachable:
    'Check that the machine is up and reachable and that the kubelet runs; drain it if it stays down.',
  MemoryPressure: 'Free memory on the node or move workloads off it.',
  DiskPressure: 'Free disk space (images, logs) on the node.',
  PIDPressure: 'Find the process leaking PIDs on the node.',
  NetworkUnavailable: 'Check the CNI plugin on the node.',
  GpuUnavailable:
    'Check the GPUs with nvidia-smi and the device plugin; cordon the node and reset or replace the GPU.',
  GpuXidError:
    'Cordon the node, drain GPU jobs, then reset the GPU or reboot; repeated hardware Xids mean replacing it.',
  GpuError: 'Cordon and drain the node, then reset the GPU or reboot; replace it if the error returns.',
  JobFailed: 'Fix the failing replica (see its pod findings) and resubmit the job.',
  MasterReplicasMissing: 'Find why the master pod is not running (see its findings).',
  WorkerReplicasMissing:
    'Find why the worker pods are not running (scheduling, GPUs, image), see their findings.',
  NcclError:
    'Check the network/InfiniBand between the nodes and whether a peer rank died first; set NCCL_DEBUG=INFO.',
  CudaError: "Check the GPU of that pod's node (Xid errors) and the CUDA/driver versions.",
  TrainingOutOfMemory: 'Lower the batch size, enable gradient checkpointing, or use more GPUs.',
  WorkflowFailed: 'Fix the failed step (see its message and log) and resubmit.',
  WorkflowStepFailed: "Read the step's log and fix its command or inputs.",
  WorkflowPermissionDenied:
    "Grant the workflow's service account the missing permission (Role and RoleBinding).",
  WorkflowServiceAccountMissing:
    'Create the service account or set spec.serviceAccountName to one that exists.',
  WorkflowTemplateMissing: 'Define the template, or fix the name the workflow refers to.',
};

/** The solution for a finding code; codes from pods inside jobs carry the same codes. */
export function solutionFor(code: string): string | undefined {
  if (code.startsWith('Condition'))
    return "Follow the runbook of the condition's owner (e.g. node-problem-detector).";
  return solutions[code];
}

export function explainFindings(outcome: DiagnosisOutcome): string {
  const failures = outcome.findings.filter((finding) => finding.severity === 'failure');
  const warnings = outcome.findings.filter((finding) => finding.severity === 'warning');
  if (outcome.verdict === 'Unknown') {
    const reason = failures[0]?.message ?? 'the object could not be read';
    return [
      `Healthy: Unknown`,
      `Error: ${reason}`,
      `Analysis: nothing to analyse.`,
      `Solution: ${solutionFor('ObjectNotFound') ?? ''}`,
    ].join('\n');
  }
  if (failures.length === 0) {
    const analysis =
      warnings.length === 0
        ? 'no failures or warnings found.'
        : `no failures; ${warnings.length} warning(s): ${warnings
            .slice(0, 3)
            .map((finding) => finding.message)
            .join(' ')}`;
    return [`Healthy: Yes`, `Error: none`, `Analysis: ${analysis}`, `Solution: nothing to do.`].join('\n');
  }
  const first = failures[0] as Finding;
  const analysis = failures
    .slice(0, 5)
    .map(
      (finding) =>
        `- ${finding.message}${finding.evidence[0] === undefined ? '' : ` [${finding.evidence[0]}]`}`,
    );
  const more = failures.length > 5 ? [`- … and ${failures.length - 5} more failure(s)`] : [];
  const fixes = [...new Set(failures.flatMap((finding) => solutionFor(finding.code) ?? []))];
  return [
    `Healthy: No`,
    `Error: ${first.message}`,
    `Analysis:`,
    ...analysis,
    ...more,
    ...(warnings.length === 0 ? [] : [`(${warnings.length} warning(s) besides)`]),
    `Solution: ${fixes.length === 0 ? 'see the findings above.' : fixes.slice(0, 3).join(' ')}`,
  ].join('\n');
}
