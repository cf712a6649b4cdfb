/**
 * What the alert reconciler looks up before it decides a step: the trigger (rule match, template, render), the
 * alert's Workflow and the silence that holds it back. Cache reads, except a Workflow the cache may lag behind.
 */
import { findSilence, type SilenceLike } from '../../core/silences/index.js';
import {
  buildRunVariables,
  buildTemplateVariables,
  renderOpsTemplate,
  workflowServiceAccountProblem,
  type RenderResult,
} from '../../core/templates/index.js';
import type { TemplateAlert } from '../../core/templates/index.js';
import type { DeepReadonly } from '../runtime/index.js';
import type { AlertObject, TriggerResolution } from './alert-action-types.js';
import type {
  ObjectCache,
  ObjectReferenceView,
  RuleMatcher,
  RuleView,
  SilenceView,
  TemplateView,
  WorkflowObject,
  WorkflowStore,
} from '../../core/ports/index.js';
import { viewWorkflow } from './alert-workflow.js';
import type { WorkflowView } from './alert-workflow.js';
import { alertWorkflowName } from './alert-workflow-name.js';

/** The parts of the reconciler's dependencies the lookups read (`AlertReconcilerDependencies` fits). */
export interface AlertLookupDependencies {
  readonly workflows: ObjectCache<WorkflowObject>;
  readonly templates: Pick<ObjectCache<TemplateView>, 'get'>;
  readonly silences?: { list(namespace?: string): readonly DeepReadonly<SilenceLike>[] };
  readonly matcher: RuleMatcher;
  readonly workflowStore: WorkflowStore;
  /** Where templates may come from and whom Workflows may run as; unchecked when omitted (tests of other parts). */
  readonly workflowPolicy?: WorkflowPolicy;
}

/** AEGIS_NAMESPACE + AEGIS_RULE_NAMESPACES, and AEGIS_WORKFLOW_SERVICE_ACCOUNTS. */
export interface WorkflowPolicy {
  readonly templateNamespaces: ReadonlySet<string>;
  readonly serviceAccounts: ReadonlySet<string>;
}

/** A render that passed is refused when the Workflow would run as an account the operator did not allow. */
function enforcePolicy(render: RenderResult, policy: WorkflowPolicy | undefined): RenderResult {
  if (!render.ok || policy === undefined) return render;
  const problem = workflowServiceAccountProblem(render.workflow, policy.serviceAccounts);
  return problem === undefined ? render : { ok: false, reason: 'TemplateUnsafe', message: problem };
}

export interface AlertLookups {
  /** The rule and template that trigger the alert, and the template rendered for it. */
  resolveTrigger(alert: AlertObject): TriggerResolution;
  /** The alert's Workflow: from the cache, else (while following one) through the API. */
  findWorkflow(alert: AlertObject): Promise<WorkflowView | undefined>;
  /** The silence that holds the alert back; looked up only before its first trigger (a cache read). */
  silenceOf(alert: AlertObject, at: Date): SilenceView | undefined;
}

function ruleReferenceOf(rule: RuleView): ObjectReferenceView {
  return {
    namespace: rule.namespace ?? rule.metadata?.namespace ?? '',
    name: rule.name ?? rule.metadata?.name ?? '',
  };
}

export function createAlertLookups(deps: AlertLookupDependencies): AlertLookups {
  const resolveTrigger = (alert: AlertObject): TriggerResolution => {
    const namespace = alert.metadata.namespace ?? '';
    const opsRequest = alert.spec.opsRequest;
    let template: ObjectReferenceView;
    let rule: RuleView | undefined;
    if (opsRequest !== undefined) {
      template = { namespace: opsRequest.template.namespace, name: opsRequest.template.name };
    } else {
      const match = deps.matcher.match({
        type: alert.spec.type,
        status: alert.status?.status ?? alert.spec.status,
        labels: alert.metadata.labels ?? {},
      });
      if (match.kind === 'none') return { kind: 'none' };
      if (match.kind === 'many') {
        return {
          kind: 'many',
          rules: match.rules.map((item) => {
            const reference = ruleReferenceOf(item);
            return `${reference.namespace}/${reference.name}`;
          }),
        };
      }
      rule = match.rule;
      template = {
        namespace: match.templateRef.namespace === '' ? namespace : match.templateRef.namespace,
        name: match.templateRef.name,
      };
    }
    const ruleReference = rule === undefined ? undefined : ruleReferenceOf(rule);
    const base = {
      kind: 'resolved' as const,
      template,
      ...(ruleReference === undefined ? {} : { rule: ruleReference }),
      ...(rule?.spec?.approval === undefined ? {} : { ruleApproval: rule.spec.approval }),
      ...(opsRequest === undefined ? {} : { opsRequest: { requestedBy: opsRequest.requestedBy } }),
    };
    const templateObject = deps.templates.get(template.namespace, template.name) as TemplateView | undefined;
    if (templateObject === undefined) return base;
    const policy = deps.workflowPolicy;
    if (policy !== undefined && !policy.templateNamespaces.has(template.namespace)) {
      const allowed = [...policy.templateNamespaces].join(', ');
      return {
        ...base,
        templateObject,
        render: {
          ok: false,
          reason: 'TemplateUnsafe',
          message: `the template ${template.namespace}/${template.name} is outside the namespaces templates are read from (${allowed}); list its namespace in AEGIS_RULE_NAMESPACES to use it`,
        },
      };
    }
    const manifest = templateObject.spec?.manifest;
    if (templateObject.status?.status === 'Invalid' || manifest === undefined)
      return { ...base, templateObject };
    const variables =
      opsRequest === undefined
        ? buildTemplateVariables(structuredClone(alert) as unknown as TemplateAlert)
        : buildRunVariables(opsRequest.parameters ?? {});
    return {
      ...base,
      templateObject,
      render: enforcePolicy(renderOpsTemplate(manifest, variables), deps.workflowPolicy),
    };
  };

  const findWorkflow = async (alert: AlertObject): Promise<WorkflowView | undefined> => {
    const namespace = alert.metadata.namespace ?? '';
    const uid = alert.metadata.uid ?? '';
    const ops = alert.status?.opsStatus;
    const name = alertWorkflowName(alert);
    const cached = deps.workflows.get(namespace, name);
    if (cached !== undefined) return viewWorkflow(cached, uid);
    // Waiting for approval, the request is the suspended Workflow: the cache may lag behind its create.
    const following =
      ops?.triggerStatus === 'AwaitingApproval' ||
      (ops?.triggerStatus === 'Triggered' &&
        ops.alertOpsStatus !== 'Succeeded' &&
        ops.alertOpsStatus !== 'Failed');
    if (!following) return undefined;
    if (ops?.triggerStatus === 'Triggered' && ops.workflowName === undefined) {
      // Triggered by upstream Aegis (generateName): find it by owner.
      const owned = deps.workflows
        .list(namespace)
        .map((item) => viewWorkflow(item, uid))
        .find((view) => view.owned);
      if (owned !== undefined) return owned;
    }
    // Not cached: maybe the cache lags behind the create. Only the API can say it is gone.
    const read = await deps.workflowStore.get(namespace, name);
    return read === undefined ? undefined : viewWorkflow(read, uid);
  };

  /** The silence that holds the alert back; looked up only before its first trigger (a cache read). */
  const silenceOf = (alert: AlertObject, at: Date): SilenceView | undefined => {
    if (deps.silences === undefined || alert.status?.opsStatus?.triggerStatus !== undefined) return undefined;
    const found = findSilence(alert, deps.silences.list(alert.metadata.namespace ?? ''), at);
    if (found === undefined) return undefined;
    return {
      name: found.metadata?.name ?? '',
      until: found.spec.until,
      ...(found.spec.reason === undefined ? {} : { reason: found.spec.reason }),
    };
  };

  return { resolveTrigger, findWorkflow, silenceOf };
}
