/**
 * AegisSilence: while it lasts, alerts that match it (by type or by fingerprint) are recorded as AegisAlerts
 * but neither posted to chat nor trigger ops workflows. Created with `/aegis silence`, listed with
 * `kubectl get aegissilences` (short name `asil`), ended early by deleting it (`/aegis unsilence <name>`).
 */
import { z } from 'zod';
import { aegisApiVersion, conditions, objectMetaSchema, observedGeneration, timestamp } from './kube-meta.js';

export const silenceMatcherSchema = z.object({
  type: z
    .string()
    .min(1)
    .optional()
    .describe('Silence alerts of exactly this type, e.g. NodeOutOfDiskSpace.'),
  fingerprint: z
    .string()
    .min(1)
    .optional()
    .describe('Silence the alert with this fingerprint (its `fingerprint` label value).'),
});

export const aegisSilenceSpecSchema = z.object({
  matcher: silenceMatcherSchema.describe(
    'Which alerts are silenced; with both fields set, an alert must match both. Empty matches nothing.',
  ),
  until: timestamp().describe('When the silence ends (RFC 3339).'),
  reason: z.string().optional().describe('Why the alerts are silenced.'),
  createdBy: z.string().min(1).describe('Who created the silence: a chat user id or a user name.'),
});

export const aegisSilenceStatusSchema = z.object({
  conditions: conditions().optional(),
  observedGeneration: observedGeneration().optional(),
});

export const aegisSilenceSchema = z.object({
  apiVersion: z.literal(aegisApiVersion),
  kind: z.literal('AegisSilence'),
  metadata: objectMetaSchema,
  spec: aegisSilenceSpecSchema,
  status: aegisSilenceStatusSchema.optional(),
});

export type SilenceMatcher = z.infer<typeof silenceMatcherSchema>;
export type AegisSilenceSpec = z.infer<typeof aegisSilenceSpecSchema>;
export type AegisSilenceStatus = z.infer<typeof aegisSilenceStatusSchema>;
export type AegisSilence = z.infer<typeof aegisSilenceSchema>;
