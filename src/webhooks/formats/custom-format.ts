/**
 * The custom JSON format of `POST /default/alert` (and `/alert`): one alert or an array of alerts,
 * `{type, status, involvedObject{kind, name, namespace, node}, details, fingerprint, startsAt?}`.
 *
 * As upstream (Go encoding/json + `Alert.Validate`): field names are case-insensitive at every level (`Type`,
 * `Kind`, `involvedobject`), detail keys are verbatim; `type` and `involvedObject.name` must be non-empty; a
 * Pod needs its namespace; `null` counts as absent. Beyond upstream:
 * - `status` is accepted in any case (`firing`, `FIRING`) and normalised to `Firing` / `Resolved`;
 * - the well-known kinds are normalised (`pod` → `Pod`, `node` → `Node`, `cluster` → `Cluster`); an empty kind
 *   is accepted as upstream does;
 * - an empty `fingerprint` is computed from the details with upstream's AI rule; with no non-empty detail it is
 *   derived from the type and the object (kind, namespace, name) as `aegis alert send` does, so a minimal
 *   alert `{type, status, involvedObject}` is accepted and its repeats are still one alert;
 * - `startsAt` is optional, RFC 3339; it makes redeliveries of one post collapse into one job;
 * - detail values that are numbers or booleans become strings, `null` becomes ''; objects and arrays are refused.
 * Each alert is refused on its first problem; the others in an array are still accepted.
 */
import { z } from 'zod';
import {
  alertSources,
  canonicalKind,
  detailsFingerprint,
  objectFingerprint,
} from '../../core/alerts/index.js';
import type { Alert, AlertInvolvedObject, AlertStatus } from '../../core/alerts/index.js';
import {
  describeValue,
  isJsonObject,
  joinPath,
  plainIssueMessage,
  quote,
  refusalFromIssues,
} from './conversion-result.js';
import type { ConversionResult, RefusedAlert } from './conversion-result.js';
import { pickFoldedFields } from './fold-keys.js';
import { isGoZeroTime, isRfc3339 } from './rfc3339.js';

const alertFields = ['type', 'status', 'involvedObject', 'details', 'fingerprint', 'startsAt'] as const;
const involvedObjectFields = ['kind', 'name', 'namespace', 'node'] as const;

/** A string field; `null` is absent, as Go leaves the field at its zero value. */
const text = z.string().nullish();

const detailValue = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: (issue) => `must be a string, number or boolean, not ${describeValue(issue.input)}`,
});

const customAlertSchema = z.object({
  type: text,
  status: text,
  involvedObject: z.object({ kind: text, name: text, namespace: text, node: text }).nullish(),
  details: z.record(z.string(), detailValue).nullish(),
  fingerprint: text,
  startsAt: text,
});

export interface CustomFormatOptions {
  /** The alert source written on each alert (`Default`; the `/ai/alert` route passes `AI`). */
  source?: string;
}

type Outcome = { alert: Alert } | { problem: { path: string; reason: string } };

function problem(path: string, reason: string): Outcome {
  return { problem: { path, reason } };
}

function normaliseStatus(status: string): AlertStatus | undefined {
  const lower = status.toLowerCase();
  if (lower === 'firing') return 'Firing';
  if (lower === 'resolved') return 'Resolved';
  return undefined;
}

function detailsAsStrings(details: Readonly<Record<string, string | number | boolean | null>>) {
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(details)) strings[key] = value === null ? '' : String(value);
  return strings;
}

function convertOne(data: z.infer<typeof customAlertSchema>, source: string): Outcome {
  const type = data.type ?? undefined;
  if (type === undefined) return problem('type', 'is required');
  if (type === '') return problem('type', 'must not be empty');

  if (data.status === undefined || data.status === null) return problem('status', 'is required');
  const status = normaliseStatus(data.status);
  if (status === undefined)
    return problem('status', `must be "Firing" or "Resolved", not ${quote(data.status)}`);

  const involved = data.involvedObject ?? undefined;
  if (involved === undefined) return problem('involvedObject', 'is required');
  const name = involved.name ?? '';
  if (name === '')
    return problem('involvedObject.name', involved.name === '' ? 'must not be empty' : 'is required');
  const kind = canonicalKind(involved.kind ?? '');
  const namespace = involved.namespace ?? '';
  if (kind === 'Pod' && namespace === '') return problem('involvedObject.namespace', 'is required for a Pod');
  const involvedObject: AlertInvolvedObject = { kind, name };
  if (namespace !== '') involvedObject.namespace = namespace;
  const node = involved.node ?? '';
  if (node !== '') involvedObject.node = node;

  const startsAt = data.startsAt ?? '';
  if (startsAt !== '' && !isRfc3339(startsAt)) {
    return problem(
      'startsAt',
      `must be an RFC 3339 time such as 2024-05-01T10:00:00Z, not ${quote(startsAt)}`,
    );
  }

  const details = detailsAsStrings(data.details ?? {});
  let fingerprint = data.fingerprint ?? '';
  if (fingerprint === '') {
    fingerprint = Object.values(details).some((value) => value !== '')
      ? detailsFingerprint(details)
      : objectFingerprint({
          type,
          kind: involvedObject.kind,
          name: involvedObject.name,
          namespace: involvedObject.namespace,
        });
  }

  const alert: Alert = { source, type, status, involvedObject, details, fingerprint };
  const severity = details['severity'];
  if (severity !== undefined && severity !== '') alert.severity = severity;
  if (startsAt !== '' && !isGoZeroTime(startsAt)) alert.startsAt = startsAt;
  return { alert };
}

/** Parses the custom format into alerts; never throws. */
export function parseCustomPayload(body: unknown, options: CustomFormatOptions = {}): ConversionResult {
  const source = options.source ?? alertSources.default;
  const result: ConversionResult = { accepted: [], refused: [] };
  const single = !Array.isArray(body);
  const items: readonly unknown[] = Array.isArray(body) ? body : [body];
  if (single && !isJsonObject(body)) {
    result.refused.push({
      index: 0,
      path: '',
      reason: `the body must be a JSON object (one alert) or an array of alerts, not ${describeValue(body)}`,
    });
    return result;
  }
  items.forEach((item, index) => {
    const prefix = single ? '' : `[${index}]`;
    const refusal = (path: string, reason: string): RefusedAlert => ({
      index,
      path: joinPath(prefix, path),
      reason,
    });
    if (!isJsonObject(item)) {
      result.refused.push(refusal('', `must be an alert object, not ${describeValue(item)}`));
      return;
    }
    const fields = pickFoldedFields(item, alertFields);
    if (isJsonObject(fields.involvedObject)) {
      fields.involvedObject = pickFoldedFields(fields.involvedObject, involvedObjectFields);
    }
    const parsed = customAlertSchema.safeParse(fields, { error: plainIssueMessage });
    if (!parsed.success) {
      result.refused.push(refusalFromIssues(index, prefix, parsed.error.issues));
      return;
    }
    const outcome = convertOne(parsed.data, source);
    if ('alert' in outcome) result.accepted.push({ index, alert: outcome.alert });
    else result.refused.push(refusal(outcome.problem.path, outcome.problem.reason));
  });
  return result;
}
