/**
 * Amazon CloudWatch alarms delivered by an SNS HTTP(S) subscription: the SNS envelope `{Type: "Notification",
 * MessageId, TopicArn, Subject, Message, Timestamp, ...}` whose `Message` is the alarm as JSON text: `{AlarmName,
 * AlarmDescription, AWSAccountId, NewStateValue: ALARM | OK | INSUFFICIENT_DATA, NewStateReason,
 * StateChangeTime, Region, AlarmArn, OldStateValue, Trigger: {MetricName, Namespace, Dimensions: [{name,
 * value}], ...}}`. type = the alarm name in CamelCase; labels = the dimensions, the metric, region and account;
 * Firing on ALARM, Resolved on OK (INSUFFICIENT_DATA is refused: it is neither); fingerprint = the alarm ARN.
 *
 * `Type: "SubscriptionConfirmation"` is no alert: Aegis never confirms a subscription by itself (that would let
 * anyone who can post subscribe the endpoint to their topic); it answers and logs what the operator must do.
 */
import type { RecognisedPayload } from './build-alert.js';
import { buildAlert, isRecord, stableFingerprint, text, typeFromTitle } from './build-alert.js';

function isSnsEnvelope(body: Record<string, unknown>): boolean {
  return typeof body['Type'] === 'string' && typeof body['TopicArn'] === 'string' && 'MessageId' in body;
}

/** The parsed `Message` of an SNS notification, when it is JSON. */
export function snsMessage(body: unknown): unknown {
  if (!isRecord(body) || !isSnsEnvelope(body) || body['Type'] !== 'Notification') return undefined;
  const message = body['Message'];
  if (typeof message !== 'string') return undefined;
  try {
    return JSON.parse(message) as unknown;
  } catch {
    return undefined;
  }
}

export function recogniseCloudWatchSns(body: unknown): RecognisedPayload | undefined {
  if (!isRecord(body) || !isSnsEnvelope(body)) return undefined;
  const topic = text(body['TopicArn']) ?? '';
  if (body['Type'] === 'SubscriptionConfirmation' || body['Type'] === 'UnsubscribeConfirmation') {
    return {
      format: 'sns',
      results: [],
      notice: `Amazon SNS ${String(body['Type'])} for topic ${topic}: Aegis does not confirm subscriptions by itself; to receive this topic's alarms, open the SubscribeURL of this request once (${text(body['SubscribeURL']) ?? 'missing'})`,
    };
  }
  const alarm = snsMessage(body);
  if (!isRecord(alarm) || typeof alarm['AlarmName'] !== 'string' || !('NewStateValue' in alarm))
    return undefined;
  const labels: Record<string, string> = {};
  const trigger = isRecord(alarm['Trigger']) ? alarm['Trigger'] : {};
  const dimensions: unknown[] = Array.isArray(trigger['Dimensions']) ? trigger['Dimensions'] : [];
  for (const dimension of dimensions) {
    if (!isRecord(dimension)) continue;
    const name = text(dimension['name']);
    const value = text(dimension['value']);
    if (name !== undefined && name !== '' && value !== undefined) labels[name] = value;
  }
  for (const [label, value] of [
    ['metric', text(trigger['MetricName'])],
    ['metric_namespace', text(trigger['Namespace'])],
    ['region', text(alarm['Region'])],
    ['account', text(alarm['AWSAccountId'])],
    ['alarm', alarm['AlarmName']],
  ] as const) {
    if (value !== undefined && value !== '') labels[label] = value;
  }
  const state = text(alarm['NewStateValue']) ?? '';
  if (state !== 'ALARM' && state !== 'OK') {
    return {
      format: 'cloudwatch',
      results: [
        { path: 'Message.NewStateValue', reason: `is ${state}, neither ALARM (firing) nor OK (resolved)` },
      ],
    };
  }
  const arn =
    text(alarm['AlarmArn']) ?? `${labels['account'] ?? ''}:${labels['region'] ?? ''}:${alarm['AlarmName']}`;
  return {
    format: 'cloudwatch',
    results: [
      buildAlert({
        type: typeFromTitle(alarm['AlarmName']),
        status: state === 'OK' ? 'Resolved' : 'Firing',
        labels,
        description: text(alarm['NewStateReason']) ?? text(alarm['AlarmDescription']),
        fingerprint: stableFingerprint('cloudwatch', [arn]),
        startsAt: text(alarm['StateChangeTime']),
        sender: 'cloudwatch',
      }),
    ],
  };
}
