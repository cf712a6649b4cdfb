/**
 * The "View manifest" button of an approval card: opens a modal with the whole rendered Workflow of the alert
 * as it is now (read fresh, not from the button), so a reviewer can read every line before deciding. Showing
 * it changes nothing; anyone who sees the card may open it.
 */
import { approvalCardFrom, renderManifestModal } from '../../render/index.js';
import { parseApprovalButtonValue } from '../render/approval-ids.js';
import { tellUser } from './approval-clicks.js';
import { explainFailure, type ListenerContext } from './listener-context.js';

export interface ViewManifestClick {
  value: string | undefined;
  user: string;
  channel?: string | undefined;
  threadTs?: string | undefined;
  triggerId: string;
}

export async function handleViewManifestClick(
  click: ViewManifestClick,
  context: ListenerContext,
): Promise<void> {
  const where = { user: click.user, channel: click.channel, threadTs: click.threadTs };
  const reference = parseApprovalButtonValue(click.value);
  if (reference === undefined) {
    await tellUser(context, where, 'This button does not name an alert; nothing to show.');
    return;
  }
  try {
    const alert = await context.services.alerts.get(reference);
    const card = alert === undefined ? undefined : approvalCardFrom(alert, context.clock().getTime());
    if (card === undefined) {
      await tellUser(
        context,
        where,
        `AegisAlert ${reference.namespace}/${reference.name} has no run waiting for approval any more.`,
      );
      return;
    }
    // The trigger id is valid for 3 s after the click.
    await context.slack.openView({ triggerId: click.triggerId, view: renderManifestModal(card) });
  } catch (error) {
    await tellUser(
      context,
      where,
      explainFailure(context, 'button:view-manifest', error, { alert: reference }),
    );
  }
}
