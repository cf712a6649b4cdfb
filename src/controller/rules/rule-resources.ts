import type { KubeClients } from '../../kube/index.js';
import { createWatchSource } from '../runtime/index.js';
import type { WatchedObject, WatchSource, WatchSourceOptions } from '../runtime/index.js';

/**
 * An AegisAlertOpsRule or AegisOpsTemplate as the watch cache holds it: whatever the API server stored, not yet
 * checked (that is the reconcilers' job), so `spec` and `status` are unknown until judged.
 */
export interface RecordedObject extends WatchedObject {
  metadata?: WatchedObject['metadata'] & { generation?: number; deletionTimestamp?: string };
  spec?: unknown;
  status?: unknown;
}

export type RuleObject = RecordedObject & { kind?: string };
export type TemplateObject = RecordedObject & { spec?: { manifest?: unknown } };

export const ruleResource = {
  group: 'aegis.io',
  version: 'v1alpha1',
  plural: 'aegisalertopsrules',
  kind: 'AegisAlertOpsRule',
} as const;

export const templateResource = {
  group: 'aegis.io',
  version: 'v1alpha1',
  plural: 'aegisopstemplates',
  kind: 'AegisOpsTemplate',
} as const;

/** A watch source of every AegisAlertOpsRule (all namespaces, as upstream matches across namespaces). */
export function createRuleSource(
  clients: KubeClients,
  options: WatchSourceOptions & { readonly namespace?: string } = {},
): WatchSource<RuleObject> {
  const { namespace, ...watchOptions } = options;
  return createWatchSource<RuleObject>(
    clients,
    { ...ruleResource, ...(namespace === undefined ? {} : { namespace }) },
    watchOptions,
  );
}

/** A watch source of every AegisOpsTemplate. */
export function createTemplateSource(
  clients: KubeClients,
  options: WatchSourceOptions & { readonly namespace?: string } = {},
): WatchSource<TemplateObject> {
  const { namespace, ...watchOptions } = options;
  return createWatchSource<TemplateObject>(
    clients,
    { ...templateResource, ...(namespace === undefined ? {} : { namespace }) },
    watchOptions,
  );
}
