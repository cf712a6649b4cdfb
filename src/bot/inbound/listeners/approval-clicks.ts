/**
 * The approval buttons (rendered by the outbound notifier and by App Home): Approve decides at once; Reject
 * opens a modal asking for a reason, and its submission decides. The approval service checks who may decide,
 * refuses self-approval, is idempotent on double clicks and records an Event for every outcome; here refusals
 * are explained to the clicking user in plain words (ephemeral in the channel and thread of the button, a DM
 * from App Home). Success needs no reply: the notifier edits the message when the alert changes.
 */
import { slackActor } from '../approval-actor.js';
import { parseApprovalButtonValue } from '../render/approval-ids.js';
import { renderDecisionRecorded } from '../render/alert-replies.js';
import { parseRejectModalMetadata, renderRejectModal } from '../render/reject-modal.js';
import type { ApprovalOutcome } from '../../../controller/approvals/index.js';
import { explainFailure, type ListenerContext } from './listener-context.js';

export interface ApprovalClick {
  decision: 'approve' | 'reject';
  /** The button value, `<namespace>/<name>`. */
  value: string | undefined;
  user: string;
  /** Absent for a click in App Home. */
  channel?: string | undefined;
  /** The thread the button's message is in (its own ts for a root message). */
  threadTs?: string | undefined;
  triggerId: string;
  /** Called after a decision from App Home, to show the new state there. */
  refreshHome?: (() => Promise<void>) | undefined;
}

/** Tell one user something where they clicked: ephemeral in the channel and thread, or a DM. */
export async function tellUser(
  context: ListenerContext,
  where: { user: string; channel?: string | undefined; threadTs?: string | undefined },
  text: string,
): Promise<void> {
  try {
    if (where.channel === undefined) await context.slack.postMessage({ channel: where.user, text });
    else
      await context.slack.postEphemeral({
        channel: where.channel,
        user: where.user,
        text,
        ...(where.threadTs === undefined ? {} : { threadTs: where.threadTs }),
      });
  } catch (error) {
    context.logger.warn(
      { err: error, user: where.user, channel: where.channel },
      'could not tell a Slack user',
    );
  }
}

async function afterDecision(
  context: ListenerContext,
  decision: 'approve' | 'reject',
  alertName: string,
  where: { user: string; channel?: string | undefined; threadTs?: string | undefined },
  outcome: ApprovalOutcome,
): Promise<void> {
  if (!outcome.ok) {
    // The service logged and audited the refusal (an Event on the alert); the user hears why.
    await tellUser(context, where, `:no_entry: ${outcome.message}`);
    return;
  }
  // The root message shows the final decision; only a partial approval or a repeat needs a word.
  if (!outcome.changed || (decision === 'approve' && outcome.approval.state === 'Pending'))
    await tellUser(
      context,
      where,
      renderDecisionRecorded(decision, alertName, outcome.approval, outcome.changed).text,
    );
}

export async function handleApprovalClick(click: ApprovalClick, context: ListenerContext): Promise<void> {
  const where = { user: click.user, channel: click.channel, threadTs: click.threadTs };
  const alert = parseApprovalButtonValue(click.value);
  if (alert === undefined) {
    context.logger.warn({ value: click.value, user: click.user }, 'approval button with an unknown value');
    await tellUser(context, where, 'This button does not name an alert; use /aegis approve <alert> instead.');
    return;
  }
  try {
    if (click.decision === 'reject') {
      // The trigger id is valid for 3 s: open the modal before anything slow.
      await context.slack.openView({
        triggerId: click.triggerId,
        view: renderRejectModal({
          alert,
          ...(click.channel === undefined ? {} : { channel: click.channel }),
          ...(click.threadTs === undefined ? {} : { threadTs: click.threadTs }),
        }),
      });
      return;
    }
    const actor = slackActor(click.user, context.groups);
    const outcome = await context.services.approvals.approve(alert, actor, 'slack');
    await afterDecision(context, 'approve', alert.name, where, outcome);
    await click.refreshHome?.();
  } catch (error) {
    await tellUser(context, where, explainFailure(context, `button:${click.decision}`, error, { alert }));
  }
}

export interface RejectSubmission {
  user: string;
  /** The modal's private_metadata. */
  metadata: string;
  reason: string;
  refreshHome?: (() => Promise<void>) | undefined;
}

export async function handleRejectSubmission(
  submission: RejectSubmission,
  context: ListenerContext,
): Promise<void> {
  const metadata = parseRejectModalMetadata(submission.metadata);
  if (metadata === undefined) {
    context.logger.warn({ user: submission.user }, 'reject modal with unreadable metadata');
    await tellUser(
      context,
      { user: submission.user },
      'Aegis could not tell which alert to reject; nothing changed.',
    );
    return;
  }
  const where = { user: submission.user, channel: metadata.channel, threadTs: metadata.threadTs };
  try {
    const actor = slackActor(submission.user, context.groups);
    const outcome = await context.services.approvals.reject(
      metadata.alert,
      actor,
      'slack',
      submission.reason,
    );
    await afterDecision(context, 'reject', metadata.alert.name, where, outcome);
    if (metadata.channel === undefined) await submission.refreshHome?.();
  } catch (error) {
    await tellUser(context, where, explainFailure(context, 'modal:reject', error, { alert: metadata.alert }));
  }
}
