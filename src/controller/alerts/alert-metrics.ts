/** What the alert reconciler reports: Workflows created, their outcomes, trigger failures by reason. */
import { sharedCounter, type MetricsRegistry } from '../../metrics/index.js';
import type { Counter } from 'prom-client';
import type { Registry } from 'prom-client';

export interface AlertMetrics {
  workflowCreated(): void;
  workflowOutcome(outcome: 'Succeeded' | 'Failed' | 'Deleted'): void;
  triggerFailed(reason: string): void;
  approvalRequested(): void;
}

export const noopAlertMetrics: AlertMetrics = {
  workflowCreated: () => undefined,
  workflowOutcome: () => undefined,
  triggerFailed: () => undefined,
  approvalRequested: () => undefined,
};

function counter(registry: Registry, name: string, help: string, labelNames: string[] = []): Counter {
  return sharedCounter(registry, { name, help, labelNames });
}

export function createAlertMetrics(metrics: MetricsRegistry | undefined): AlertMetrics {
  if (metrics === undefined) return noopAlertMetrics;
  const registry = metrics.registry;
  const created = counter(
    registry,
    'aegis_alert_workflows_created_total',
    'Argo Workflows created for AegisAlerts.',
  );
  const outcomes = counter(
    registry,
    'aegis_alert_workflow_outcomes_total',
    'Outcomes of AegisAlert Workflows (Succeeded, Failed incl. Error, Deleted before finishing).',
    ['outcome'],
  );
  const failures = counter(
    registry,
    'aegis_alert_trigger_failures_total',
    'AegisAlerts that ran no Workflow, by reason (RuleNotFound, TemplateUnsafe, ApprovalExpired, ...).',
    ['reason'],
  );
  const approvals = counter(
    registry,
    'aegis_alert_approvals_requested_total',
    'AegisAlerts that started waiting for approval.',
  );
  return {
    workflowCreated: () => created.inc(),
    workflowOutcome: (outcome) => outcomes.inc({ outcome }),
    triggerFailed: (reason) => failures.inc({ reason }),
    approvalRequested: () => approvals.inc(),
  };
}
