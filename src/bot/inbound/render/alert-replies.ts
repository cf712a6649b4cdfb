/** Replies to `/aegis alerts`, `/aegis alert <name>`, approve/reject and `run`. */
import type { KnownBlock } from '@slack/types';
import type { AegisAlert, AlertApproval } from '../../../core/resources/index.js';
import type { AlertFilters } from '../commands/parse-command.js';
import { age, code, context, escapeText, header, reply, section, type ChatReply } from './blocks.js';
import { alertObject, alertStart, alertState } from './alert-summary.js';

/** At most this many alerts in one reply; the rest are counted. */
export const alertListLimit = 20;

function describeFilters(filters: AlertFilters): string {
  const parts = Object.entries(filters).map(([key, value]) => `${key} ${code(String(value))}`);
  return parts.length === 0 ? 'open alerts' : `alerts with ${parts.join(', ')}`;
}

function alertLine(alert: AegisAlert, now: Date): string {
  const object = alertObject(alert);
  const count = alert.status?.count ?? 1;
  const facts = [
    `*${escapeText(alert.spec.type)}*`,
    object === '' ? undefined : escapeText(object),
    alertState(alert),
    count > 1 ? `×${count}` : undefined,
    age(alertStart(alert), now),
  ].filter((fact) => fact !== undefined && fact !== '');
  return `${code(alert.metadata.name ?? '')} ${facts.join(' · ')}`;
}

export function renderAlertList(alerts: readonly AegisAlert[], filters: AlertFilters, now: Date): ChatReply {
  const what = describeFilters(filters);
  if (alerts.length === 0)
    return reply('ephemeral', `No ${what.replace(/`/g, '')}.`, [section(`No ${what}.`)]);
  const shown = alerts.slice(0, alertListLimit);
  const blocks: KnownBlock[] = [
    section(`*${alerts.length}* ${what}:`),
    section(shown.map((alert) => alertLine(alert, now)).join('\n')),
  ];
  if (alerts.length > shown.length)
    blocks.push(
      context(`…and ${alerts.length - shown.length} more; narrow with --type, --status or --node.`),
    );
  blocks.push(context(`Details: ${code('/aegis alert <name>')}`));
  return reply('ephemeral', `${alerts.length} ${what.replace(/`/g, '')}`, blocks);
}

function approvalLines(approval: AlertApproval, now: Date): string[] {
  const approvals = (approval.history ?? []).filter((entry) => entry.decision === 'Approved').length;
  const lines = [
    `*Approval:* ${approval.state}${approval.state === 'Pending' ? ` (${approvals} of ${approval.minApprovals ?? 1})` : ''}`,
  ];
  const approvers = approval.approvers ?? [];
  lines.push(
    `*Approvers:* ${approvers.length === 0 ? 'anyone' : approvers.map((id) => mention(id)).join(', ')}`,
  );
  if (approval.state === 'Pending' && approval.expiresAt !== undefined)
    lines.push(`*Expires:* ${approval.expiresAt}`);
  for (const entry of approval.history ?? []) {
    const why = entry.reason === undefined ? '' : `: ${escapeText(entry.reason)}`;
    lines.push(`• ${entry.decision} by ${mention(entry.by)} via ${entry.via} ${age(entry.at, now)}${why}`);
  }
  return lines;
}

/** `<@U…>` for Slack users, `<!subteam^S…>` for user groups, the name otherwise. */
export function mention(id: string): string {
  if (/^[UW][A-Z0-9]+$/.test(id)) return `<@${id}>`;
  if (/^S[A-Z0-9]+$/.test(id)) return `<!subteam^${id}>`;
  return escapeText(id);
}

export function renderAlertDetail(alert: AegisAlert, now: Date): ChatReply {
  const status = alert.status;
  const ops = status?.opsStatus;
  const facts = [
    `*Name:* ${code(`${alert.metadata.namespace ?? ''}/${alert.metadata.name ?? ''}`)}`,
    `*State:* ${alertState(alert)}`,
    alertObject(alert) === '' ? undefined : `*Object:* ${escapeText(alertObject(alert))}`,
    alert.spec.involvedObject?.node === undefined
      ? undefined
      : `*Node:* ${escapeText(alert.spec.involvedObject.node)}`,
    alert.spec.severity === undefined ? undefined : `*Severity:* ${escapeText(alert.spec.severity)}`,
    `*Count:* ${status?.count ?? 1}`,
    `*Started:* ${age(alertStart(alert), now) || 'unknown'}`,
    ops?.triggerStatus === undefined ? undefined : `*Trigger:* ${ops.triggerStatus}`,
    ops?.workflowName === undefined
      ? undefined
      : `*Workflow:* ${code(ops.workflowName)}${ops.alertOpsStatus === undefined ? '' : ` (${ops.alertOpsStatus})`}`,
    ops?.message === undefined ? undefined : `*Message:* ${escapeText(ops.message)}`,
  ].filter((line): line is string => line !== undefined);
  const blocks: KnownBlock[] = [header(alert.spec.type), section(facts.join('\n'))];
  if (status?.approval !== undefined) blocks.push(section(approvalLines(status.approval, now).join('\n')));
  if (status?.slack !== undefined) blocks.push(context(`Tracked in a thread in <#${status.slack.channel}>`));
  return reply('ephemeral', `${alert.spec.type} ${alert.metadata.name ?? ''}: ${alertState(alert)}`, blocks);
}

export function renderAlertNotFound(name: string): ChatReply {
  return reply('ephemeral', `There is no alert named ${name}.`, [
    section(`There is no alert named ${code(name)}.`),
    context(`List them with ${code('/aegis alerts')}`),
  ]);
}

export function renderDecisionRecorded(
  decision: 'approve' | 'reject',
  alertName: string,
  approval: AlertApproval,
  changed: boolean,
): ChatReply {
  if (!changed) {
    const text = `You already ${decision === 'approve' ? 'approved' : 'rejected'} ${alertName}; nothing changed.`;
    return reply('ephemeral', text);
  }
  if (decision === 'reject') return reply('ephemeral', `You rejected the run of ${alertName}.`);
  if (approval.state === 'Approved')
    return reply('ephemeral', `You approved ${alertName}; the run starts now.`);
  const approvals = (approval.history ?? []).filter((entry) => entry.decision === 'Approved').length;
  return reply(
    'ephemeral',
    `Your approval of ${alertName} is recorded (${approvals} of ${approval.minApprovals ?? 1} needed).`,
  );
}

export function renderRunRequested(
  created: { namespace: string; name: string },
  template: string,
  parameters: Readonly<Record<string, string>>,
): ChatReply {
  const entries = Object.entries(parameters);
  const list =
    entries.length === 0 ? 'no parameters' : entries.map(([key, value]) => code(`${key}=${value}`)).join(' ');
  return reply(
    'ephemeral',
    `Requested a run of ${template} (${created.name}); it waits for someone else to approve it.`,
    [
      section(`Requested a run of ${code(template)} with ${list}.`),
      context(
        `Tracked as ${code(`${created.namespace}/${created.name}`)}; it waits for someone else to approve it in the alert thread.`,
      ),
    ],
  );
}
