/**
 * What the model must answer for `/ai/alert`: `{alerts: [...]}` (strict JSON schema: every field present,
 * `null` when unknown; details as key/value pairs because strict schemas allow no free-form maps). The same zod
 * schema produces the JSON schema sent to the model and validates its answer.
 */
import { z } from 'zod';

export const llmAlertSchema = z.object({
  type: z.string().min(1).describe('Alert name in CamelCase, e.g. NodeOutOfDiskSpace'),
  status: z.enum(['Firing', 'Resolved']).describe('Firing or Resolved'),
  involvedObject: z
    .object({
      kind: z.string().min(1).describe('Pod, Node, Cluster or another Kubernetes kind'),
      name: z.string().min(1).describe('The object name exactly as in the payload'),
      namespace: z.string().nullable().describe('Namespace; required for a Pod'),
      node: z.string().nullable().describe('The node the object runs on, when known'),
    })
    .describe('The Kubernetes object the alert is about'),
  details: z
    .array(z.object({ key: z.string(), value: z.string() }))
    .describe('Every label, tag and annotation, verbatim'),
  fingerprint: z.string().nullable().describe("The payload's own stable id of the alert, if any"),
  severity: z.string().nullable().describe('Severity as written, if any'),
  startsAt: z.string().nullable().describe('Start time (RFC 3339), if any'),
});

export const llmAlertsSchema = z.object({ alerts: z.array(llmAlertSchema) });

export type LlmAlerts = z.infer<typeof llmAlertsSchema>;

/** The JSON schema of the answer (without `$schema`, as OpenAI's `response_format` wants it). */
export function llmAlertsJsonSchema(): Record<string, unknown> {
  const { $schema: _schema, ...schema } = z.toJSONSchema(llmAlertsSchema) as Record<string, unknown>;
  return schema;
}
