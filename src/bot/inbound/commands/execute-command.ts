/**
 * Runs a parsed `/aegis` command against the services and renders the reply. Refusals and usage errors come
 * back as replies in plain words; unexpected errors are thrown for the listener to log and explain.
 */
import type { AegisAlert } from '../../../core/resources/index.js';
import { kubeTime } from '../../../core/approvals/index.js';
import { alertHasStatus, alertIsOpen, byNewest } from '../render/alert-summary.js';
import {
  renderAlertDetail,
  renderAlertList,
  renderAlertNotFound,
  renderDecisionRecorded,
  renderRunRequested,
} from '../render/alert-replies.js';
import type { ChatReply } from '../render/blocks.js';
import { renderRules, renderTemplates } from '../render/catalog-replies.js';
import { renderFailure, renderHelp, renderUsageError } from '../render/help-reply.js';
import { renderSilenceCreated, renderSilences, renderUnsilenced } from '../render/silence-replies.js';
import { renderStatus } from '../render/status-reply.js';
import { renderChecks, renderChecksDisabled, renderCheckStarted } from '../render/health-check-replies.js';
import { renderDiagnosisStarted, renderDiagnosesDisabled } from '../render/diagnosis-replies.js';
import type { InboundServices } from '../inbound-services.js';
import type { SlackGroupResolver } from '../slack-group-resolver.js';
import { slackActor } from '../approval-actor.js';
import { operatorRefusal, silenceTooLong, type ChatRights } from './chat-rights.js';
import type { AegisCommand, AlertFilters } from './parse-command.js';

export interface CommandContext {
  /** Slack user id of the caller. */
  user: string;
  /** Where the command was typed (results that come later are posted there). */
  channel?: string | undefined;
  services: InboundServices;
  groups: SlackGroupResolver;
  clock: () => Date;
  /** Who may silence, unsilence and run (AEGIS_SLACK_OPERATORS), and the longest silence. */
  rights: ChatRights;
}

export function filterAlerts(alerts: readonly AegisAlert[], filters: AlertFilters): AegisAlert[] {
  const same = (left: string | undefined, right: string) => left?.toLowerCase() === right.toLowerCase();
  return alerts
    .filter((alert) =>
      filters.status === undefined ? alertIsOpen(alert) : alertHasStatus(alert, filters.status),
    )
    .filter((alert) => filters.type === undefined || same(alert.spec.type, filters.type))
    .filter((alert) => {
      if (filters.node === undefined) return true;
      const object = alert.spec.involvedObject;
      return same(object?.node, filters.node) || (object?.kind === 'Node' && same(object.name, filters.node));
    })
    .sort(byNewest);
}

export async function executeCommand(command: AegisCommand, context: CommandContext): Promise<ChatReply> {
  const { services, user } = context;
  switch (command.kind) {
    case 'help':
      return renderHelp(command.unknown);
    case 'invalid':
      return renderUsageError(command.message, command.usage);
    case 'alerts':
      return renderAlertList(
        filterAlerts(await services.alerts.list(), command.filters),
        command.filters,
        context.clock(),
      );
    case 'alert': {
      const alert = await services.alerts.get(command.alert);
      if (alert === undefined) return renderAlertNotFound(command.alert.name);
      return renderAlertDetail(alert, context.clock());
    }
    case 'approve':
    case 'reject': {
      const actor = slackActor(user, context.groups);
      const outcome =
        command.kind === 'approve'
          ? await services.approvals.approve(command.alert, actor, 'slack', command.reason)
          : await services.approvals.reject(command.alert, actor, 'slack', command.reason);
      if (!outcome.ok) return renderFailure(outcome.message);
      return renderDecisionRecorded(command.kind, command.alert.name, outcome.approval, outcome.changed);
    }
    case 'rules':
      return renderRules(await services.rules.list());
    case 'templates':
      return renderTemplates(await services.templates.list());
    case 'run': {
      const refused = await operatorRefusal('run', user, context.rights, context.groups);
      if (refused !== undefined) return renderFailure(refused);
      const created = await services.opsRequests.create({
        template: command.template,
        parameters: command.parameters,
        requestedBy: user,
        ...(command.reason === undefined ? {} : { reason: command.reason }),
      });
      return renderRunRequested(created, command.template.name, command.parameters);
    }
    case 'silence': {
      const refused =
        (await operatorRefusal('silence', user, context.rights, context.groups)) ??
        silenceTooLong(command.durationMs, context.rights);
      if (refused !== undefined) return renderFailure(refused);
      const now = context.clock();
      const silence = await services.silences.create({
        matcher: command.matcher,
        until: kubeTime(new Date(now.getTime() + command.durationMs)),
        createdBy: user,
        ...(command.reason === undefined ? {} : { reason: command.reason }),
      });
      return renderSilenceCreated(silence, now);
    }
    case 'silences':
      return renderSilences(await services.silences.list(), context.clock());
    case 'unsilence': {
      const refused = await operatorRefusal('unsilence', user, context.rights, context.groups);
      if (refused !== undefined) return renderFailure(refused);
      return renderUnsilenced(command.name, await services.silences.delete(command.name), user);
    }
    case 'status':
      return renderStatus(await services.status());
    case 'checks':
      if (services.healthChecks === undefined) return renderChecksDisabled();
      return renderChecks(await services.healthChecks.list());
    case 'check-node': {
      if (services.healthChecks === undefined) return renderChecksDisabled();
      const name = await services.healthChecks.checkNode({
        node: command.node,
        from: command.from,
        user,
        channel: context.channel,
      });
      return renderCheckStarted(command.node, name);
    }
    case 'diagnose': {
      if (services.diagnoses === undefined) return renderDiagnosesDisabled();
      const reference = await services.diagnoses.diagnose({
        kind: command.target,
        name: command.object.name,
        namespace: command.object.namespace,
        user,
        channel: context.channel,
      });
      const object =
        command.object.namespace === undefined
          ? command.object.name
          : `${command.object.namespace}/${command.object.name}`;
      return renderDiagnosisStarted(`${command.target} ${object}`, reference);
    }
  }
}

/** For logs: the command without free text (reasons, parameter values may be sensitive). */
export function describeCommand(command: AegisCommand): Record<string, unknown> {
  switch (command.kind) {
    case 'approve':
    case 'reject':
    case 'alert':
      return { command: command.kind, alert: command.alert.name };
    case 'run':
      return {
        command: command.kind,
        template: command.template.name,
        parameters: Object.keys(command.parameters),
      };
    case 'silence':
      return { command: command.kind, matcher: command.matcher, duration: command.duration };
    case 'check-node':
      return { command: command.kind, node: command.node };
    case 'diagnose':
      return { command: command.kind, target: command.target, name: command.object.name };
    default:
      return { command: command.kind };
  }
}
