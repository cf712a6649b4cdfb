import { renderApproval } from '../render/index.js';
import type { AlertLike } from '../render/index.js';
import type { NotifierContext } from './notifier-context.js';

/**
 * The approval message in the alert's thread: the request with buttons while it is pending, edited to the
 * decision (or expiry) afterwards, without buttons. A request decided before it was ever shown is not posted;
 * the decision's own thread reply tells the story. The same goes for a copy of the message in another thread
 * (see sync-alert.ts: the thread an agent proposal was asked in).
 */
export async function syncApproval(
  context: NotifierContext,
  alert: AlertLike,
  target: {
    channel: string;
    threadTs: string;
    holder: string;
    uid: string;
    /** Another copy of the message (e.g. in the thread a proposal was asked in) needs its own write id. */
    copy?: string;
  },
): Promise<void> {
  const approval = alert.status?.approval;
  if (approval === undefined) return;
  const kind = target.copy === undefined ? 'approval' : `approval-${target.copy}`;
  const writeId = `${kind}:${target.uid}:${approval.requestedAt}`;
  if (approval.state !== 'Pending' && (await context.ledger.read(writeId)).ts === undefined) return;
  const message = renderApproval(alert, context.now());
  if (message === undefined) return;
  await context.writer.write({
    writeId,
    holder: target.holder,
    channel: target.channel,
    threadTs: target.threadTs,
    message,
  });
}
