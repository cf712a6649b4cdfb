/**
 * Why an Argo Workflow (argoproj.io/v1alpha1) failed: its phase and message, each failed step with its message,
 * exit code and pod log, RBAC and service-account errors, and templates that do not exist. Pure.
 */
import { analyzePod } from './analyze-pod.js';
import type { WorkflowFacts } from './diagnosis-facts.js';
import { describeEvent, includesAny, latestFirst } from './facts-helpers.js';
import { failure, info, prefixed, warning, type Finding } from './finding.js';

const permissionNeedles = [
  'forbidden',
  'cannot create resource',
  'cannot get resource',
  'cannot patch resource',
  'is not allowed',
  'unauthorized',
];
const serviceAccountNeedles = ['serviceaccount', 'service account'];
const templateNeedles = [
  'template name',
  'template reference',
  'templateref',
  'workflowtemplates.argoproj.io',
  'clusterworkflowtemplates.argoproj.io',
  'templates.',
];

export function analyzeWorkflow(facts: WorkflowFacts): Finding[] {
  const { workflow } = facts;
  const name = workflow.metadata?.name ?? '?';
  const phase = workflow.status?.phase ?? 'Pending';
  const message = workflow.status?.message ?? '';
  const findings: Finding[] = [];
  const texts = [
    message,
    ...Object.values(workflow.status?.nodes ?? {}).map((node) => node?.message ?? ''),
    ...facts.events.map((event) => event.message),
  ];

  const permission = texts.find((text) => includesAny(text, permissionNeedles));
  if (permission !== undefined) {
    const account = workflow.spec?.serviceAccountName ?? 'default';
    findings.push(
      failure(
        'WorkflowPermissionDenied',
        `The workflow's service account ${account} lacks a permission it needs (RBAC): grant it with a Role/RoleBinding.`,
        [permission],
      ),
    );
  }
  const accountMissing = texts.find(
    (text) => includesAny(text, serviceAccountNeedles) && includesAny(text, ['not found', 'does not exist']),
  );
  if (accountMissing !== undefined) {
    findings.push(
      failure(
        'WorkflowServiceAccountMissing',
        `The service account ${workflow.spec?.serviceAccountName ?? 'default'} of the workflow does not exist in namespace ${workflow.metadata?.namespace ?? '?'}.`,
        [accountMissing],
      ),
    );
  }
  const templateMissing = texts.find(
    (text) =>
      includesAny(text, templateNeedles) && includesAny(text, ['not found', 'undefined', 'does not exist']),
  );
  if (templateMissing !== undefined) {
    findings.push(
      failure('WorkflowTemplateMissing', `The workflow refers to a template that does not exist.`, [
        templateMissing,
      ]),
    );
  }

  const failedNodes = Object.values(workflow.status?.nodes ?? {}).filter(
    (node) =>
      node !== undefined &&
      (node.phase === 'Failed' || node.phase === 'Error') &&
      (node.type === 'Pod' || node.type === 'Container'),
  );
  for (const node of failedNodes) {
    if (node === undefined) continue;
    const step = node.displayName ?? node.name ?? node.id ?? '?';
    const exitCode = node.outputs?.exitCode;
    const stepPod = facts.stepPods.find((pod) => pod.nodeId === node.id);
    const logs = stepPod?.logs.flatMap((log) => log.lines) ?? [];
    findings.push(
      failure(
        'WorkflowStepFailed',
        `Step ${step} (template ${node.templateName ?? '?'}) ${node.phase === 'Error' ? 'errored' : 'failed'}${exitCode === undefined ? '' : ` with exit code ${exitCode}`}: ${node.message ?? 'no message'}.`,
        [
          `node ${node.id ?? '?'} phase ${node.phase ?? '?'}${node.message === undefined ? '' : `: ${node.message}`}`,
          ...logs.slice(-5).map((line) => `log: ${line}`),
        ],
      ),
    );
    if (stepPod !== undefined) {
      const podFindings = analyzePod(stepPod).filter(
        (finding) =>
          finding.severity === 'failure' &&
          finding.code !== 'PodFailed' &&
          finding.code !== 'ContainerFailed',
      );
      findings.push(...prefixed(`step ${step}: `, podFindings));
      for (const log of stepPod.logs) {
        if (log.lines.length > 0)
          findings.push(info('ContainerLog', `Step ${step}: log of container ${log.container}.`, log.lines));
      }
    }
  }

  if (
    (phase === 'Failed' || phase === 'Error') &&
    !findings.some((finding) => finding.severity === 'failure')
  ) {
    findings.push(
      failure(
        'WorkflowFailed',
        `Workflow ${name} ${phase === 'Error' ? 'errored' : 'failed'}: ${message === '' ? 'no message' : message}.`,
        [`phase ${phase}${message === '' ? '' : `: ${message}`}`],
      ),
    );
  } else if (phase === 'Failed' || phase === 'Error') {
    findings.unshift(
      failure(
        'WorkflowFailed',
        `Workflow ${name} ${phase === 'Error' ? 'errored' : 'failed'}: ${message === '' ? 'no message' : message}.`,
        [`phase ${phase}`],
      ),
    );
  } else if (phase === 'Succeeded') {
    findings.push(
      info('WorkflowSucceeded', `Workflow ${name} succeeded.`, [
        `phase Succeeded, progress ${workflow.status?.progress ?? '?'}`,
      ]),
    );
  } else {
    findings.push(
      info(
        `Workflow${phase}`,
        `Workflow ${name} is ${phase}${workflow.status?.progress === undefined ? '' : ` (progress ${workflow.status.progress})`}.`,
        [`phase ${phase}`],
      ),
    );
  }
  for (const event of latestFirst(facts.events)) {
    if (event.type === 'Warning' && event.reason !== 'WorkflowFailed')
      findings.push(warning('WarningEvent', `${event.reason}: ${event.message}`, [describeEvent(event)]));
  }
  return findings;
}
