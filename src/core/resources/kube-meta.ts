/**
 * Zod schemas for the Kubernetes building blocks the Aegis resources embed: ObjectMeta, LabelSelector,
 * ObjectReference, metav1.Condition, timestamps, durations and integer widths. Field names and shapes follow
 * k8s.io/apimachinery so objects read from the API server parse unchanged.
 */
import { z } from 'zod';

export const aegisGroup = 'aegis.io';
export const aegisVersion = 'v1alpha1';
export const aegisApiVersion = `${aegisGroup}/${aegisVersion}`;

/** A 32-bit integer (Go `int32`); `format` tells the API server and clients the width. */
export function int32() {
  return z.int32().meta({ format: 'int32' });
}

/** A 64-bit integer (Go `int64`); JavaScript numbers hold it exactly up to 2^53. */
export function int64() {
  return z.int().meta({ format: 'int64' });
}

/** An RFC 3339 timestamp as metav1.Time writes it (`2024-05-01T10:00:00Z`); offsets are accepted on read. */
export function timestamp() {
  return z.iso.datetime({ offset: true });
}

/** A Go `time.Duration` string such as `30m`, `1h30m` or `90s` (what `time.ParseDuration` accepts, unsigned). */
export function duration() {
  return z
    .string()
    .regex(/^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/, 'must be a duration such as 30s, 5m or 1h30m');
}

export const objectMetaSchema = z
  .looseObject({
    name: z.string().optional(),
    generateName: z.string().optional(),
    namespace: z.string().optional(),
    uid: z.string().optional(),
    resourceVersion: z.string().optional(),
    generation: int64().optional(),
    creationTimestamp: timestamp().optional(),
    deletionTimestamp: timestamp().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    finalizers: z.array(z.string()).optional(),
    ownerReferences: z
      .array(
        z.looseObject({
          apiVersion: z.string(),
          kind: z.string(),
          name: z.string(),
          uid: z.string(),
          controller: z.boolean().optional(),
          blockOwnerDeletion: z.boolean().optional(),
        }),
      )
      .optional(),
  })
  .describe('Standard object metadata (the API server validates it; CRD schemas leave it open).');

export const labelSelectorRequirementSchema = z.object({
  key: z.string().describe('The label key that the selector applies to.'),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']).describe('How the key relates to the values.'),
  values: z
    .array(z.string())
    .optional()
    .describe('Values for In and NotIn; must be empty for Exists and DoesNotExist.'),
});

export const labelSelectorSchema = z.object({
  matchLabels: z
    .record(z.string(), z.string())
    .optional()
    .describe('Labels that must all be present with these values.'),
  matchExpressions: z
    .array(labelSelectorRequirementSchema)
    .optional()
    .describe('Requirements that must all hold (ANDed with matchLabels).'),
});

export const objectReferenceSchema = z.object({
  kind: z.string().optional().describe('Kind of the referent.'),
  apiVersion: z.string().optional().describe('API version of the referent.'),
  namespace: z.string().optional().describe('Namespace of the referent.'),
  name: z.string().optional().describe('Name of the referent.'),
  uid: z.string().optional().describe('UID of the referent.'),
  resourceVersion: z.string().optional().describe('Specific resourceVersion of the referent.'),
  fieldPath: z.string().optional().describe('A field within the referent, e.g. spec.containers{name}.'),
});

export const conditionStatusSchema = z.enum(['True', 'False', 'Unknown']);

/**
 * metav1.Condition. `reason` and `message` are optional (metav1 requires them) because upstream Aegis wrote
 * conditions without a reason; `lastProbeTime` is accepted for the same objects and not written by us.
 */
export const conditionSchema = z.object({
  type: z.string().min(1).max(316).describe('Type of condition in CamelCase, e.g. Complete or Failed.'),
  status: conditionStatusSchema.describe('Status of the condition: True, False or Unknown.'),
  observedGeneration: int64()
    .min(0)
    .optional()
    .describe('The metadata.generation the condition was set for.'),
  lastTransitionTime: timestamp().describe('When the condition last changed from one status to another.'),
  reason: z
    .string()
    .max(1024)
    .optional()
    .describe("A programmatic identifier (CamelCase) for the condition's last transition."),
  message: z.string().max(32768).optional().describe('A human readable message about the transition.'),
  lastProbeTime: timestamp()
    .optional()
    .describe('Written by upstream Aegis (Go); accepted on read, not written by this implementation.'),
});

/** A list of conditions keyed by `type`: at most one condition per type, merged by type in patches. */
export function conditions() {
  return z
    .array(conditionSchema)
    .refine((list) => new Set(list.map((condition) => condition.type)).size === list.length, {
      message: 'conditions must have distinct types',
    })
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] })
    .describe('Current state of the object as Kubernetes conditions, one per type.');
}

export function observedGeneration() {
  return int64().min(0).describe('The metadata.generation that this status describes.');
}

export type ObjectMeta = z.infer<typeof objectMetaSchema>;
export type LabelSelector = z.infer<typeof labelSelectorSchema>;
export type LabelSelectorRequirement = z.infer<typeof labelSelectorRequirementSchema>;
export type ObjectReference = z.infer<typeof objectReferenceSchema>;
export type Condition = z.infer<typeof conditionSchema>;
export type ConditionStatus = z.infer<typeof conditionStatusSchema>;
