/** Pieces shared by the node and cluster health checks: the checker pod, its rules, and the result records. */
import { z } from 'zod';
import { labelSelectorSchema } from './kube-meta.js';

/**
 * A corev1.PodTemplateSpec, kept open on purpose. Inlining its schema (upstream did: ~6.7k generated lines per
 * CRD) would pin the CRD to one Kubernetes version's PodSpec and add nothing: the API server validates the Pod
 * itself when the controller creates it. So the CRD keeps the subtree as written
 * (`x-kubernetes-preserve-unknown-fields: true`, no pruning), and `x-kubernetes-embedded-resource: false` says it
 * is not a whole object with its own apiVersion/kind/metadata. The controller checks the one-container rule.
 */
export const podTemplateSpecSchema = z
  .record(z.string(), z.unknown())
  .meta({ 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-embedded-resource': false })
  .describe(
    'Pod template (corev1.PodTemplateSpec) of the checker pod, with exactly one container. Not validated here: ' +
      'the API server validates the pod when Aegis creates it.',
  );

/**
 * The spec fields that say how the checker pod runs, the same in both kinds: the ConfigMaps with its rules and
 * its pod template. Only the rules description differs (a node check mounts them; a cluster check passes them on).
 */
export function checkerPodSpecFields(rulesDescription: string) {
  return {
    ruleConfigmapSelector: labelSelectorSchema.optional().describe(rulesDescription),
    template: podTemplateSpecSchema,
  };
}

export const checkResultSchema = z.object({
  item: z.string().optional().describe('What was checked.'),
  condition: z.string().optional().describe('Condition name reported for the item.'),
  level: z.string().optional().describe('Severity level of the item.'),
  status: z.boolean().optional().describe('True when the problem is present.'),
  message: z.string().optional().describe('Details for humans.'),
});

/** Check results by module (e.g. gpu, disk), as the checker prints them after its `results:` line. */
export const checkResultsByModuleSchema = z
  .record(z.string(), z.array(checkResultSchema))
  .describe('Check results by module name.');

export type PodTemplateSpec = z.infer<typeof podTemplateSpecSchema>;
export type CheckResult = z.infer<typeof checkResultSchema>;
export type CheckResultsByModule = z.infer<typeof checkResultsByModuleSchema>;

/** A 5-field cron expression (`0 * * * *`) or a descriptor such as `@hourly`; omitted means run once. */
export function cronSchedule() {
  return z.string().min(1).describe('Cron schedule (5 fields, e.g. "0 * * * *"); omit it to run once.');
}
