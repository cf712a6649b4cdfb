/**
 * The Aegis kinds as CRD descriptors: names, printer columns and the zod schemas of spec and status.
 * `buildCustomResourceDefinition` turns one into a manifest; scripts/generate-crds.ts writes them to manifest/install/.
 *
 * Short names start with `a` plus an abbreviation of the kind, so they do not clash with common cluster short
 * names (`alert`, `rule`, `tpl` are taken by other projects): aalert, arule, atpl, adiag, anhc, achc, asil.
 * All are in the `aegis` category, so `kubectl get aegis` lists them together.
 */
import type { z } from 'zod';
import { aegisAlertSchema, aegisAlertSpecSchema, aegisAlertStatusSchema } from './aegis-alert.js';
import {
  aegisAlertOpsRuleSchema,
  aegisAlertOpsRuleSpecSchema,
  aegisAlertOpsRuleStatusSchema,
} from './aegis-alert-ops-rule.js';
import {
  aegisOpsTemplateSchema,
  aegisOpsTemplateSpecSchema,
  aegisOpsTemplateStatusSchema,
} from './aegis-ops-template.js';
import {
  aegisDiagnosisSchema,
  aegisDiagnosisSpecSchema,
  aegisDiagnosisStatusSchema,
} from './aegis-diagnosis.js';
import {
  aegisNodeHealthCheckSchema,
  aegisNodeHealthCheckSpecSchema,
  aegisNodeHealthCheckStatusSchema,
} from './aegis-node-health-check.js';
import {
  aegisClusterHealthCheckSchema,
  aegisClusterHealthCheckSpecSchema,
  aegisClusterHealthCheckStatusSchema,
} from './aegis-cluster-health-check.js';
import { aegisSilenceSchema, aegisSilenceSpecSchema, aegisSilenceStatusSchema } from './aegis-silence.js';

export interface PrinterColumn {
  name: string;
  type: 'integer' | 'number' | 'string' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  /** 0 (default view) or more (only with `-o wide`). */
  priority?: number;
}

export interface CrdDefinition {
  kind: string;
  plural: string;
  singular: string;
  shortNames: readonly string[];
  categories: readonly string[];
  description: string;
  printerColumns: readonly PrinterColumn[];
  /** The whole object (apiVersion, kind, metadata, spec, status): parse objects read from the cluster with it. */
  objectSchema: z.ZodType;
  specSchema: z.ZodType;
  statusSchema: z.ZodType;
}

const categories = ['aegis'] as const;
const createdAge: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const startedAge: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.status.startTime' };

export const crdDefinitions: readonly CrdDefinition[] = [
  {
    kind: 'AegisAlert',
    plural: 'aegisalerts',
    singular: 'aegisalert',
    shortNames: ['aalert'],
    categories,
    description: 'An alert from monitoring and the ops workflow, approval and chat message that follow it.',
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.spec.type' },
      { name: 'ObjectKind', type: 'string', jsonPath: '.spec.involvedObject.kind' },
      { name: 'ObjectName', type: 'string', jsonPath: '.spec.involvedObject.name' },
      { name: 'Node', type: 'string', jsonPath: '.spec.involvedObject.node', priority: 1 },
      { name: 'Status', type: 'string', jsonPath: '.status.status' },
      { name: 'Count', type: 'integer', jsonPath: '.status.count' },
      { name: 'TriggerStatus', type: 'string', jsonPath: '.status.opsStatus.triggerStatus' },
      { name: 'OpsStatus', type: 'string', jsonPath: '.status.opsStatus.alertOpsStatus' },
      { name: 'Approval', type: 'string', jsonPath: '.status.approval.state', priority: 1 },
      { name: 'Workflow', type: 'string', jsonPath: '.status.opsStatus.workflowName', priority: 1 },
      startedAge,
    ],
    objectSchema: aegisAlertSchema,
    specSchema: aegisAlertSpecSchema,
    statusSchema: aegisAlertStatusSchema,
  },
  {
    kind: 'AegisAlertOpsRule',
    plural: 'aegisalertopsrules',
    singular: 'aegisalertopsrule',
    shortNames: ['arule'],
    categories,
    description: 'Which alerts run which AegisOpsTemplate, and whether a human must approve the run.',
    printerColumns: [
      { name: 'Status', type: 'string', jsonPath: '.status.status' },
      { name: 'Template', type: 'string', jsonPath: '.spec.opsTemplate.name', priority: 1 },
      { name: 'Approval', type: 'boolean', jsonPath: '.spec.approval.required', priority: 1 },
      createdAge,
    ],
    objectSchema: aegisAlertOpsRuleSchema,
    specSchema: aegisAlertOpsRuleSpecSchema,
    statusSchema: aegisAlertOpsRuleStatusSchema,
  },
  {
    kind: 'AegisOpsTemplate',
    plural: 'aegisopstemplates',
    singular: 'aegisopstemplate',
    shortNames: ['atpl'],
    categories,
    description: 'An Argo Workflow manifest with alert variables, run by AegisAlertOpsRules.',
    printerColumns: [
      { name: 'Status', type: 'string', jsonPath: '.status.status' },
      { name: 'ExecuteSucceed', type: 'integer', jsonPath: '.status.executeStatus.succeeded' },
      { name: 'ExecuteFailed', type: 'integer', jsonPath: '.status.executeStatus.failed' },
      createdAge,
    ],
    objectSchema: aegisOpsTemplateSchema,
    specSchema: aegisOpsTemplateSpecSchema,
    statusSchema: aegisOpsTemplateStatusSchema,
  },
  {
    kind: 'AegisDiagnosis',
    plural: 'aegisdiagnosises',
    singular: 'aegisdiagnosis',
    shortNames: ['adiag'],
    categories,
    description: 'A diagnosis of a Node, Pod, PyTorchJob or Argo Workflow, with an optional LLM explanation.',
    printerColumns: [
      { name: 'Kind', type: 'string', jsonPath: '.spec.object.kind' },
      { name: 'Object', type: 'string', jsonPath: '.spec.object.name' },
      { name: 'Namespace', type: 'string', jsonPath: '.spec.object.namespace', priority: 1 },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Result', type: 'string', jsonPath: '.status.result.status' },
      // Upstream's column: when the diagnosis started (empty while Pending).
      startedAge,
    ],
    objectSchema: aegisDiagnosisSchema,
    specSchema: aegisDiagnosisSpecSchema,
    statusSchema: aegisDiagnosisStatusSchema,
  },
  {
    kind: 'AegisNodeHealthCheck',
    plural: 'aegisnodehealthchecks',
    singular: 'aegisnodehealthcheck',
    shortNames: ['anhc'],
    categories,
    description: 'A health check of one node by a checker pod.',
    printerColumns: [
      { name: 'Node', type: 'string', jsonPath: '.spec.node' },
      { name: 'Status', type: 'string', jsonPath: '.status.status' },
      startedAge,
    ],
    objectSchema: aegisNodeHealthCheckSchema,
    specSchema: aegisNodeHealthCheckSpecSchema,
    statusSchema: aegisNodeHealthCheckStatusSchema,
  },
  {
    kind: 'AegisClusterHealthCheck',
    plural: 'aegisclusterhealthchecks',
    singular: 'aegisclusterhealthcheck',
    shortNames: ['achc'],
    categories,
    description: 'Health checks of every selected node, on a schedule.',
    printerColumns: [
      { name: 'Desired', type: 'integer', jsonPath: '.status.desired' },
      { name: 'Active', type: 'integer', jsonPath: '.status.active' },
      { name: 'Succeeded', type: 'integer', jsonPath: '.status.succeeded' },
      { name: 'Failed', type: 'integer', jsonPath: '.status.failed' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Schedule', type: 'string', jsonPath: '.spec.schedule', priority: 1 },
      { name: 'Round', type: 'integer', jsonPath: '.status.round', priority: 1 },
      startedAge,
    ],
    objectSchema: aegisClusterHealthCheckSchema,
    specSchema: aegisClusterHealthCheckSpecSchema,
    statusSchema: aegisClusterHealthCheckStatusSchema,
  },
  {
    kind: 'AegisSilence',
    plural: 'aegissilences',
    singular: 'aegissilence',
    shortNames: ['asil'],
    categories,
    description: 'Alerts matching it are recorded but neither posted to chat nor run until it ends.',
    printerColumns: [
      { name: 'Matcher', type: 'string', jsonPath: '.spec.matcher' },
      { name: 'Until', type: 'date', jsonPath: '.spec.until' },
      { name: 'CreatedBy', type: 'string', jsonPath: '.spec.createdBy' },
      { name: 'Reason', type: 'string', jsonPath: '.spec.reason' },
      createdAge,
    ],
    objectSchema: aegisSilenceSchema,
    specSchema: aegisSilenceSpecSchema,
    statusSchema: aegisSilenceStatusSchema,
  },
];
