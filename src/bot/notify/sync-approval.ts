import { renderApprovalDecided, renderApprovalRequest, renderExpired } from '../render/index.js';
import type { AlertLike, SlackMessage } from '../render/index.js';
import type { NotifierContext } from './notifier-context.js';

/**
 * The approval message in the alert's thread: the request with buttons while it is pending, edited to the
 * decision (or expiry) afterwards, without buttons. A request decided before it was ever shown is not posted;
 * the decision's own thread reply tells the story.
 */
export async function syncApproval(
  context: NotifierContext,
  alert: AlertLike,
  target: { channel: string; threadTs: string; holder: string; uid: string },
): Promise<void> {
  const approval = alert.status?.approval;
  if (approval === undefined) return;
  const writeId = `approval:${target.uid}:${approval.requestedAt}`;
  let message: SlackMessage;
  if (approval.state === 'Pending') {
    const expired = approval.expiresAt !== undefined && Date.parse(approval.expiresAt) <= context.now();
    message = expired ? renderExpired(alert) : renderApprovalRequest(alert);
  } else {
    if ((await context.ledger.read(writeId)).ts === undefined) return;
    const last = approval.history?.at(-1);
    message =
      last === undefined || approval.state === 'Expired'
        ? renderExpired(alert)
        : renderApprovalDecided(alert, last);
  }
  await context.writer.write({
    writeId,
    holder: target.holder,
    channel: target.channel,
    threadTs: target.threadTs,
    message,
  });
}
