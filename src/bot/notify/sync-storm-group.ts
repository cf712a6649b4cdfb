/**
 * A storm group's Slack state: one root message with a running summary (edited at most every
 * `summaryIntervalMs`), and its members listed in thread replies of `stormDigestPageSize` each (edited as
 * members change). Each member's status.slack then points at the group's root, so it is reachable from there.
 */
import type { ReconcileResult } from '../../controller/runtime/index.js';
import { parseObjectKey, reconcileAgain, reconcileDone } from '../../controller/runtime/index.js';
import type { DeepReadonly } from '../../controller/runtime/index.js';
import type { AegisAlert } from '../../core/resources/aegis-alert.js';
import {
  alertDisplayState,
  involvedObjectLabel,
  renderStormDigest,
  renderStormGroup,
  stormDigestPageSize,
} from '../render/index.js';
import type { AlertDisplayState, StormMember } from '../render/index.js';
import type { NotifierContext } from './notifier-context.js';

const newestShown = 5;
const patchConcurrency = 8;

export async function syncStormGroup(context: NotifierContext, groupId: string): Promise<ReconcileResult> {
  const meta = await context.storm.meta(groupId);
  if (meta === undefined) return reconcileDone;
  const alerts = (await context.storm.members(groupId))
    .map((reference) => {
      const key = parseObjectKey(reference);
      return context.cached(key.namespace, key.name);
    })
    .filter((alert): alert is DeepReadonly<AegisAlert> => alert !== undefined);
  const members = alerts.map(toMember);
  const byState: Partial<Record<AlertDisplayState, number>> = {};
  for (const member of members) byState[member.state] = (byState[member.state] ?? 0) + 1;

  const holder = `group:${groupId}`;
  const root = await context.writer.write({
    writeId: `group:${groupId}:root`,
    holder,
    channel: meta.channel,
    message: renderStormGroup({
      type: meta.type,
      group: groupId,
      total: members.length,
      byState,
      newest: members.slice(-newestShown).reverse(),
      firstAt: new Date(meta.createdAt).toISOString(),
      lastAt: new Date(meta.lastAt).toISOString(),
    }),
    minUpdateIntervalMs: context.summaryIntervalMs,
  });

  for (let start = 0; start < members.length; start += stormDigestPageSize) {
    await context.writer.write({
      writeId: `group:${groupId}:page:${start / stormDigestPageSize}`,
      holder,
      channel: meta.channel,
      threadTs: root.ts,
      message: renderStormDigest(meta.type, start, members.slice(start, start + stormDigestPageSize)),
    });
    // Listed in the thread now: point each member at the group's root message.
    await pointAt(context, alerts.slice(start, start + stormDigestPageSize), meta.channel, root.ts);
  }
  return root.pendingMs > 0 ? reconcileAgain(root.pendingMs) : reconcileDone;
}

function toMember(alert: DeepReadonly<AegisAlert>): StormMember {
  const node = alert.spec.involvedObject?.node;
  const severity = alert.spec.severity;
  return {
    alert: `${alert.metadata.namespace ?? ''}/${alert.metadata.name ?? ''}`,
    object: involvedObjectLabel(alert),
    ...(node === undefined ? {} : { node }),
    ...(severity === undefined ? {} : { severity }),
    state: alertDisplayState(alert),
    count: alert.status?.count ?? 1,
  };
}

async function pointAt(
  context: NotifierContext,
  alerts: readonly DeepReadonly<AegisAlert>[],
  channel: string,
  ts: string,
): Promise<void> {
  const stale = alerts.filter(
    (alert) => alert.status?.slack?.ts !== ts || alert.status.slack.channel !== channel,
  );
  for (let start = 0; start < stale.length; start += patchConcurrency) {
    await Promise.all(
      stale.slice(start, start + patchConcurrency).map(async (alert) => {
        const { namespace, name } = alert.metadata;
        if (namespace === undefined || name === undefined) return;
        await context.store.setSlackMessage(namespace, name, { channel, ts });
      }),
    );
  }
}
