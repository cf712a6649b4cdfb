import type { KnownBlock } from '@slack/types';
import {
  alertDisplayState,
  involvedObjectLabel,
  stateBadge,
  stateColors,
  stateLabels,
} from './alert-state.js';
import type { AlertLike } from './alert-state.js';
import { escapeMrkdwn, inlineCode, shortText, slackDate } from './mrkdwn.js';
import type { SlackMessage } from './slack-message.js';

export interface AlertRootContext {
  /** Injected clock (ms since epoch): a pending approval past its expiry shows as expiring. */
  readonly now: number;
  /** The matched rule (`namespace/name`), when the alert's status does not name it. */
  readonly rule?: string;
  /** The template that runs (`namespace/name`), when the alert's status does not name it. */
  readonly template?: string;
  /** The storm group this alert belongs to, shown as a note. */
  readonly group?: string;
}

/**
 * The root message of an alert thread: what is wrong, where, how bad, how often, and what Aegis does about it.
 * Age is a Slack date token (`{ago}`), so the message needs no edit to stay current.
 */
export function renderAlertRoot(alert: AlertLike, context: AlertRootContext): SlackMessage {
  const state = alertDisplayState(alert);
  const status = alert.status;
  const object = involvedObjectLabel(alert);
  const node = alert.spec.involvedObject?.node;
  const ops = status?.opsStatus;
  const approval = status?.approval;
  const rule = referenceOf(approval?.rule) ?? context.rule;
  const template = referenceOf(approval?.template) ?? context.template;
  const started = status?.startTime ?? alert.metadata.creationTimestamp;

  const fields: string[] = [
    `*Object*\n${escapeMrkdwn(object)}`,
    `*Node*\n${node === undefined || node === '' ? '-' : escapeMrkdwn(node)}`,
    `*Severity*\n${escapeMrkdwn(alert.spec.severity ?? 'unknown')}`,
    `*Count*\n${status?.count ?? 1}`,
    `*Status*\n${stateLabels[state]}`,
    `*Ops*\n${escapeMrkdwn(opsLine(ops))}`,
  ];
  if (rule !== undefined) fields.push(`*Rule*\n${inlineCode(rule)}`);
  if (template !== undefined) fields.push(`*Template*\n${inlineCode(template)}`);

  const details: KnownBlock[] = [
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
  ];
  if (ops?.message !== undefined && ops.message !== '') {
    details.push({ type: 'section', text: { type: 'mrkdwn', text: `> ${shortText(ops.message, 500)}` } });
  }
  const context_: string[] = [];
  if (started !== undefined) context_.push(`Since ${slackDate(started, '{ago}')}`);
  if (status?.lastSeen !== undefined) context_.push(`last seen ${slackDate(status.lastSeen, '{ago}')}`);
  if (status?.resolvedAt !== undefined) context_.push(`resolved ${slackDate(status.resolvedAt, '{ago}')}`);
  if (approval?.state === 'Pending' && approval.expiresAt !== undefined) {
    const expired = Date.parse(approval.expiresAt) <= context.now;
    context_.push(
      expired ? 'approval expired' : `approval expires ${slackDate(approval.expiresAt, '{ago}')}`,
    );
  }
  context_.push(`alert ${inlineCode(`${alert.metadata.namespace ?? ''}/${alert.metadata.name ?? ''}`)}`);
  if (context.group !== undefined) context_.push(`storm group ${escapeMrkdwn(context.group)}`);
  details.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context_.join(' · ') }] });

  const title = `${stateBadge(state)}  *${escapeMrkdwn(alert.spec.type)}* on ${escapeMrkdwn(object)}`;
  return {
    text: `${stateLabels[state]}: ${escapeMrkdwn(alert.spec.type)} on ${escapeMrkdwn(object)}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: title } }],
    attachments: [{ color: stateColors[state], blocks: details }],
  };
}

function opsLine(ops: NonNullable<AlertLike['status']>['opsStatus']): string {
  if (ops === undefined) return 'no ops yet';
  const parts = [ops.triggerStatus, ops.alertOpsStatus, ops.workflowName].filter(
    (part): part is NonNullable<typeof part> => part !== undefined && part !== '',
  );
  return parts.length === 0 ? 'no ops yet' : parts.join(' · ');
}

function referenceOf(
  reference: { readonly namespace?: string | undefined; readonly name: string } | undefined,
) {
  if (reference === undefined) return undefined;
  return reference.namespace === undefined || reference.namespace === ''
    ? reference.name
    : `${reference.namespace}/${reference.name}`;
}
