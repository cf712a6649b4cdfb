/**
 * One alert's Slack state, level-based: read the alert, make sure its root message shows the current state
 * (post once, then edit), that its thread has a reply for every event so far, and that its approval message
 * matches the approval. Alerts in a storm group hand the group its turn instead. An ops request proposed from
 * a Slack thread also keeps a copy of its approval message in that thread (`showApprovalInThread`).
 *
 * Silences: an alert that has no message yet, has not been triggered and that an AegisSilence matches is not
 * posted (and does not count towards a storm); it is looked at again when the silence ends. One that fired and resolved while silenced
 * (its `Silenced` condition, written by the alert reconciler, is still True) is never posted. An alert whose
 * root message exists already is left as it is: its thread stays current (edits and replies make no noise,
 * and approval decisions must show), but nothing new appears in the channel.
 */
import type { ObjectKey, ReconcileResult } from '../../controller/runtime/index.js';
import { formatObjectKey, reconcileDone } from '../../controller/runtime/index.js';
import type { AegisAlert } from '../../core/resources/aegis-alert.js';
import { alertConditionTypes } from '../../controller/alerts/index.js';
import { findSilence } from '../../core/silences/index.js';
import { alertCardFrom, renderAlertCard, renderMoreDetails, renderThreadEvent } from '../render/index.js';
import { alertThreadEvents } from './alert-thread-events.js';
import type { IdentifiedThreadEvent } from './alert-thread-events.js';
import { readWorkflowRun } from './read-workflow-run.js';
import { groupKeyNamespace } from './notifier-context.js';
import type { NotifierContext } from './notifier-context.js';
import { syncApproval } from './sync-approval.js';
import { ChannelBusy } from './slack-writer.js';

/** How often a running workflow's steps are looked at for new outcomes. */
const workflowPollMs = 5_000;

type Membership =
  | {
      readonly mode: 'own' | 'group';
      readonly channel: string;
      readonly group?: string;
      /** Written down already (final). */
      readonly recorded?: boolean;
    }
  /** Not posted while a silence matches: look again after `afterMs`. */
  | { readonly mode: 'silenced'; readonly afterMs: number }
  /** Fired and resolved while silenced: never posted. */
  | { readonly mode: 'muted' };

export async function syncAlert(
  context: NotifierContext,
  key: ObjectKey,
  enqueue: (key: ObjectKey) => Promise<void>,
): Promise<ReconcileResult> {
  const alert = await context.store.get(key.namespace, key.name);
  if (alert === undefined) return reconcileDone;
  const reference = formatObjectKey(key);
  const uid = alert.metadata.uid ?? reference;
  const holder = `alert:${uid}`;
  const membership = await decideMembership(context, alert, uid, reference);
  if (membership.mode === 'silenced') return { type: 'again', afterMs: membership.afterMs };
  if (membership.mode === 'muted') return reconcileDone;

  if (membership.mode === 'group' && membership.group !== undefined) {
    await enqueue({ namespace: groupKeyNamespace, name: membership.group });
    if (alert.status?.approval === undefined) return reconcileDone;
    const rootTs = (await context.ledger.read(`group:${membership.group}:root`)).ts;
    // The approval request goes into the group's thread, which needs the group's root message first.
    if (rootTs === undefined) return { type: 'again', afterMs: 1_000 };
    await syncApproval(context, alert, { channel: membership.channel, threadTs: rootTs, holder, uid });
    await syncRequestThreadApproval(context, alert, reference, holder, uid);
    return reconcileDone;
  }

  const { channel } = membership;
  const known = alert.status?.slack;
  const card = alertCardFrom(alert, { now: context.now() });
  let root;
  try {
    root = await context.writer.write({
      writeId: `root:${uid}`,
      holder,
      channel,
      message: renderAlertCard(card),
      ...(known !== undefined && known.channel === channel ? { knownTs: known.ts } : {}),
    });
  } catch (error) {
    // Not posted yet and the channel is backed up beyond maxQueueMs: share the type's thread instead.
    const undecided = membership.recorded !== true && known === undefined;
    if (!(error instanceof ChannelBusy) || !undecided || error.delayMs <= context.maxQueueMs) throw error;
    await context.limiter.release(channel, holder);
    const group = await context.storm.join(channel, alert.spec.type, reference);
    await context.ledger.writeHash(`alert:${uid}`, { mode: 'group', channel, group });
    await enqueue({ namespace: groupKeyNamespace, name: group });
    return reconcileDone;
  }
  await context.ledger.writeHash(`alert:${uid}`, { mode: 'own', channel });
  if (known?.ts !== root.ts || known.channel !== channel) {
    // Kept on the object itself, so a restart (or a lost Redis) edits this message instead of posting anew.
    await context.store.setSlackMessage(key.namespace, key.name, { channel, ts: root.ts });
  }
  // The details the card has no room for: the first reply of its thread ("more").
  const more = renderMoreDetails(card);
  if (more !== undefined) {
    await context.writer.write({
      writeId: `details:${uid}`,
      holder,
      channel,
      threadTs: root.ts,
      message: more,
    });
  }
  const events = alertThreadEvents(alert, await readWorkflowRun(context.store, context.ledger, alert, uid));
  const postEvent = async ({ id, event }: IdentifiedThreadEvent): Promise<void> => {
    await context.writer.write({
      writeId: `event:${uid}:${id}`,
      holder,
      channel,
      threadTs: root.ts,
      message: renderThreadEvent(event),
      postOnly: true,
    });
  };
  // The matched rule comes before the approval request it caused; everything else after.
  for (const event of events.filter((item) => item.event.kind === 'rule-matched')) await postEvent(event);
  await syncApproval(context, alert, { channel, threadTs: root.ts, holder, uid });
  await syncRequestThreadApproval(context, alert, reference, holder, uid);
  for (const event of events.filter((item) => item.event.kind !== 'rule-matched')) await postEvent(event);
  // Steps finish without the alert changing: look again while the workflow runs.
  if (alert.status?.opsStatus?.alertOpsStatus === 'Running' && context.store.workflow !== undefined) {
    return { type: 'again', afterMs: workflowPollMs };
  }
  return reconcileDone;
}

/** The ledger hash naming the thread an ops request was asked for in (written by `showApprovalInThread`). */
export function requestThreadKey(reference: string): string {
  return `request-thread:${reference}`;
}

/**
 * An ops request the agent proposed from a Slack thread (an alert's thread, a DM) shows its approval message
 * there too, kept in step with the one in the request's own thread: buttons while pending, the decision after.
 */
async function syncRequestThreadApproval(
  context: NotifierContext,
  alert: AegisAlert,
  reference: string,
  holder: string,
  uid: string,
): Promise<void> {
  if (alert.status?.approval === undefined) return;
  const thread = await context.ledger.readHash(requestThreadKey(reference));
  const channel = thread['channel'];
  const threadTs = thread['threadTs'];
  if (channel === undefined || threadTs === undefined) return;
  await syncApproval(context, alert, { channel, threadTs, holder, uid, copy: 'thread' });
}

/**
 * Own root message or storm group. Final once written down: an alert is written down as `own` only after its
 * root message was posted, so one that waited for the rate limit while a storm built up joins the storm.
 */
async function decideMembership(
  context: NotifierContext,
  alert: AegisAlert,
  uid: string,
  reference: string,
): Promise<Membership> {
  const recorded = await context.ledger.readHash(`alert:${uid}`);
  const recordedChannel = recorded['channel'];
  if (recordedChannel !== undefined && (recorded['mode'] === 'own' || recorded['mode'] === 'group')) {
    const group = recorded['group'];
    return {
      mode: recorded['mode'],
      channel: recordedChannel,
      recorded: true,
      ...(group === undefined ? {} : { group }),
    };
  }
  const known = alert.status?.slack;
  if (known !== undefined) return { mode: 'own', channel: known.channel };
  const now = context.now();
  // As in the alert reconciler, a silence holds only alerts not handled yet: one that triggered (or waits for
  // approval) before the silence began is shown, so its approval request is never hidden.
  const silence =
    alert.status?.opsStatus?.triggerStatus === undefined
      ? findSilence(alert, context.silences(alert.metadata.namespace ?? ''), new Date(now))
      : undefined;
  if (silence !== undefined) {
    // A little after `until` (the silence is over then); a deleted or changed silence queues the alert earlier.
    const until = Date.parse(silence.spec.until);
    return { mode: 'silenced', afterMs: Math.max(1, until - now + 50) };
  }
  if (resolvedWhileSilenced(alert)) return { mode: 'muted' };
  const channel = context.route(alert);
  const group = await context.storm.consider(channel, alert.spec.type, reference);
  if (group === undefined) return { mode: 'own', channel };
  await context.limiter.release(channel, `alert:${uid}`);
  await context.ledger.writeHash(`alert:${uid}`, { mode: 'group', channel, group });
  return { mode: 'group', channel, group };
}

function resolvedWhileSilenced(alert: AegisAlert): boolean {
  if ((alert.status?.status ?? alert.spec.status) !== 'Resolved') return false;
  return (
    alert.status?.conditions?.some(
      (item) => item.type === alertConditionTypes.silenced && item.status === 'True',
    ) === true
  );
}
