/**
 * Turns the model's answer into domain alerts, or says in plain words what is wrong with it (the route answers
 * 422 with that reason). Lenient on whatever has one clear meaning (see `normalise-model-answer.ts`: prose and
 * fences, a single object, missing nullable fields, details as a map, numbers as text), strict on the rest: the
 * zod schema (a type, an object kind and name), a namespace for Pods, a fingerprint computed from the details
 * when the model gives none.
 */
import { alertSources, canonicalKind, detailsFingerprint } from '../../core/alerts/index.js';
import type { Alert, AlertInvolvedObject } from '../../core/alerts/index.js';
import { AegisError } from '../../core/errors.js';
import { llmAlertsSchema } from './llm-alert-schema.js';
import { extractJson, normaliseModelAnswer } from './normalise-model-answer.js';

function invalid(reason: string): AegisError {
  return new AegisError('ALERT_PARSE_INVALID', `the model's answer is not valid: ${reason}`, {
    userMessage: `the model's answer is not a valid alert: ${reason}`,
  });
}

function formatIssuePath(path: readonly PropertyKey[]): string {
  return path
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`))
    .join('')
    .replace(/^\./, '');
}

export function readModelAnswer(answer: string): Alert[] {
  const parsed = extractJson(answer);
  if (parsed === undefined) throw invalid('it is not JSON');
  const result = llmAlertsSchema.safeParse(normaliseModelAnswer(parsed));
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined ? '' : formatIssuePath(issue.path);
    throw invalid(`${where === '' ? '' : `${where}: `}${issue?.message ?? 'does not match the schema'}`);
  }
  return result.data.alerts.map((item, index) => {
    const object: AlertInvolvedObject = {
      kind: canonicalKind(item.involvedObject.kind),
      name: item.involvedObject.name,
    };
    if (item.involvedObject.namespace !== null && item.involvedObject.namespace !== '') {
      object.namespace = item.involvedObject.namespace;
    }
    if (item.involvedObject.node !== null && item.involvedObject.node !== '')
      object.node = item.involvedObject.node;
    if (object.kind === 'Pod' && object.namespace === undefined) {
      throw invalid(`alerts[${index}].involvedObject.namespace is required for a Pod`);
    }
    const details: Record<string, string> = {};
    for (const { key, value } of item.details) if (key !== '') details[key] = value;
    let fingerprint = item.fingerprint?.trim() ?? '';
    if (fingerprint === '') {
      try {
        fingerprint = detailsFingerprint(details);
      } catch {
        throw invalid(`alerts[${index}] has no fingerprint and no details to compute one from`);
      }
    }
    const alert: Alert = {
      source: alertSources.ai,
      type: item.type,
      status: item.status,
      involvedObject: object,
      details,
      fingerprint: fingerprint.slice(0, 63),
    };
    if (item.severity !== null && item.severity !== '') alert.severity = item.severity;
    if (item.startsAt !== null && !Number.isNaN(Date.parse(item.startsAt))) {
      alert.startsAt = new Date(Date.parse(item.startsAt)).toISOString();
    }
    return alert;
  });
}
