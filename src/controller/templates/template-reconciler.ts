/**
 * The AegisOpsTemplate reconciler. Level-based: read the template from the watch cache, check its manifest with
 * `validateOpsTemplate` (parse, compile every templated string, render with placeholders, check it is an Argo
 * Workflow), and write `Recorded` or `Invalid` with the error and its line through /status, only when that
 * changes. `status.executeStatus` (workflow outcome counters) belongs to the alert reconciler and is never
 * written here: the merge patch leaves it out.
 *
 * Upstream parsed templates with `template.Must`, so one bad template crashed the controller. Here nothing a
 * template contains can throw out of the reconciler: the check is pure and never throws, and it is wrapped
 * anyway so that a bug in it marks the template Invalid instead of retrying forever.
 */
import { judgeTemplate } from '../lint/index.js';
import type { ReconcileFunction } from '../runtime/index.js';
import { reconcileDone } from '../runtime/index.js';
import {
  currentRecordedStatus,
  planRecordedStatus,
  templateResource,
  writeRecordedStatus,
  type RecordedReconcilerDependencies,
  type TemplateObject,
} from '../rules/index.js';

export function createTemplateReconciler(
  dependencies: RecordedReconcilerDependencies<TemplateObject>,
): ReconcileFunction {
  const now = dependencies.now ?? (() => new Date());
  return async (key, context) => {
    const template = dependencies.source.get(key.namespace, key.name);
    if (template === undefined || template.metadata?.deletionTimestamp !== undefined) return reconcileDone;
    const plan = planRecordedStatus({
      current: currentRecordedStatus(template.status),
      generation: template.metadata?.generation,
      verdict: judgeTemplate(template),
      now: now(),
      noun: 'template',
    });
    await writeRecordedStatus(
      {
        apiVersion: `${templateResource.group}/${templateResource.version}`,
        kind: templateResource.kind,
        namespace: key.namespace,
        name: key.name,
        uid: template.metadata?.uid,
        resourceVersion: template.metadata?.resourceVersion,
      },
      plan,
      { status: dependencies.status, events: dependencies.events, logger: context.logger },
    );
    return reconcileDone;
  };
}
