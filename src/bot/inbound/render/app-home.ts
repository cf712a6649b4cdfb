/** The App Home tab: approvals waiting for the viewer, open alerts, recent runs. */
import type { HomeView, KnownBlock } from '@slack/types';
import type { AegisAlert } from '../../../core/resources/index.js';
import { actions, age, button, code, context, divider, escapeText, header, section } from './blocks.js';
import { alertObject, alertStart, alertState } from './alert-summary.js';
import { approvalActionIds, approvalButtonValue, appHomeRefreshActionId } from './approval-ids.js';

export interface AppHomeInput {
  /** Alerts in AwaitingApproval the viewer may decide. */
  waiting: readonly AegisAlert[];
  open: readonly AegisAlert[];
  /** Alerts whose workflow ran or runs, newest first. */
  runs: readonly AegisAlert[];
  now: Date;
}

const limits = { waiting: 10, open: 15, runs: 10 } as const;

function waitingBlocks(alert: AegisAlert, now: Date): KnownBlock[] {
  const namespace = alert.metadata.namespace ?? '';
  const name = alert.metadata.name ?? '';
  const approval = alert.status?.approval;
  const template = approval?.template?.name ?? alert.spec.opsRequest?.template.name;
  const expires = approval?.expiresAt === undefined ? '' : ` · expires ${approval.expiresAt}`;
  return [
    section(
      `*${escapeText(alert.spec.type)}* ${escapeText(alertObject(alert))}\n` +
        `Runs ${template === undefined ? 'a workflow' : code(template)} · requested ${age(approval?.requestedAt, now)}${expires}`,
    ),
    actions(`approval:${namespace}/${name}`, [
      button({
        actionId: approvalActionIds.approve,
        text: 'Approve',
        value: approvalButtonValue(namespace, name),
        style: 'primary',
      }),
      button({
        actionId: approvalActionIds.reject,
        text: 'Reject',
        value: approvalButtonValue(namespace, name),
        style: 'danger',
      }),
    ]),
  ];
}

function alertLine(alert: AegisAlert, now: Date): string {
  const object = alertObject(alert);
  return `${code(alert.metadata.name ?? '')} *${escapeText(alert.spec.type)}*${object === '' ? '' : ` · ${escapeText(object)}`} · ${alertState(alert)} · ${age(alertStart(alert), now)}`;
}

function runLine(alert: AegisAlert, now: Date): string {
  const ops = alert.status?.opsStatus;
  const when = age(ops?.completionTime ?? ops?.startTime, now);
  return `${code(ops?.workflowName ?? '')} for *${escapeText(alert.spec.type)}* · ${ops?.alertOpsStatus ?? 'Pending'}${when === '' ? '' : ` · ${when}`}`;
}

function more(total: number, shown: number): KnownBlock[] {
  return total > shown ? [context(`…and ${total - shown} more`)] : [];
}

export function renderAppHome(input: AppHomeInput): HomeView {
  const { now } = input;
  const blocks: KnownBlock[] = [
    header('Aegis'),
    context(`Updated ${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}`),
    actions('home', [button({ actionId: appHomeRefreshActionId, text: 'Refresh', value: 'refresh' })]),
    divider(),
    section(`*Waiting for your approval* (${input.waiting.length})`),
  ];
  if (input.waiting.length === 0) blocks.push(context('Nothing waits for you.'));
  for (const alert of input.waiting.slice(0, limits.waiting)) blocks.push(...waitingBlocks(alert, now));
  blocks.push(...more(input.waiting.length, limits.waiting), divider());

  blocks.push(section(`*Open alerts* (${input.open.length})`));
  if (input.open.length === 0) blocks.push(context('No open alerts.'));
  else
    blocks.push(
      section(
        input.open
          .slice(0, limits.open)
          .map((alert) => alertLine(alert, now))
          .join('\n'),
      ),
    );
  blocks.push(...more(input.open.length, limits.open), divider());

  blocks.push(section('*Recent runs*'));
  if (input.runs.length === 0) blocks.push(context('No workflows have run yet.'));
  else
    blocks.push(
      section(
        input.runs
          .slice(0, limits.runs)
          .map((alert) => runLine(alert, now))
          .join('\n'),
      ),
    );
  blocks.push(context(`Commands: ${code('/aegis help')}`));
  return { type: 'home', blocks };
}
