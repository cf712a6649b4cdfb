/**
 * Mentions, DMs and replies in alert threads go to the LLM agent, with the alert of the thread when there is
 * one. Without an agent, mentions and DMs are answered with help; plain replies in alert threads (people
 * talking to each other) are left alone so a busy thread gets no noise.
 */
import type { AegisAlert } from '../../../core/resources/index.js';
import type { AgentQuestion } from '../inbound-services.js';
import { renderConversationHelp } from '../render/help-reply.js';
import { explainFailure, type ListenerContext } from './listener-context.js';

export interface ConversationMessage {
  kind: 'mention' | 'direct' | 'thread_reply';
  text: string;
  user: string;
  channel: string;
  ts: string;
  threadTs?: string | undefined;
  /** The bot's own user id, removed from the text of a mention. */
  botUserId?: string | undefined;
}

/** The alert whose root message is the thread `threadTs` in `channel`. */
export function alertOfThread(
  alerts: readonly AegisAlert[],
  channel: string,
  threadTs: string,
): AegisAlert | undefined {
  return alerts.find(
    (alert) => alert.status?.slack?.channel === channel && alert.status.slack.ts === threadTs,
  );
}

export function stripMention(text: string, botUserId: string | undefined): string {
  // The label after `|` is bounded (Slack's display names are short): with `[^>]*`, many `<@U…|` without a `>`
  // made every one of them scan to the end of the message (quadratic in its length).
  const pattern =
    botUserId === undefined
      ? /<@[UW][A-Z0-9]{1,32}(\|[^>]{0,256})?>/g
      : new RegExp(`<@${botUserId}(\\|[^>]{0,256})?>`, 'g');
  return text.replace(pattern, '').replace(/\s+/g, ' ').trim();
}

export async function handleConversation(
  message: ConversationMessage,
  context: ListenerContext,
): Promise<void> {
  const threadTs = message.threadTs ?? (message.kind === 'direct' ? undefined : message.ts);
  const reply = async (text: string, blocks?: readonly unknown[]) =>
    await context.slack.postMessage({
      channel: message.channel,
      text,
      ...(blocks === undefined ? {} : { blocks }),
      ...(threadTs === undefined ? {} : { threadTs }),
    });
  try {
    let alertRef: AgentQuestion['alertRef'];
    if (message.threadTs !== undefined && (message.kind !== 'direct' || context.agent !== undefined)) {
      const alert = alertOfThread(await context.services.alerts.list(), message.channel, message.threadTs);
      if (alert !== undefined)
        alertRef = { namespace: alert.metadata.namespace ?? '', name: alert.metadata.name ?? '' };
    }
    if (message.kind === 'thread_reply' && alertRef === undefined) return;
    if (context.agent === undefined) {
      if (message.kind === 'thread_reply') return;
      const help = renderConversationHelp();
      await reply(help.text, help.blocks);
      return;
    }
    const answer = await context.agent.answer({
      text: stripMention(message.text, message.botUserId),
      user: message.user,
      channel: message.channel,
      threadTs: threadTs ?? message.ts,
      ...(alertRef === undefined ? {} : { alertRef }),
    });
    if (answer !== undefined) await reply(answer.text, answer.blocks);
  } catch (error) {
    const text = explainFailure(context, `conversation:${message.kind}`, error, { channel: message.channel });
    try {
      await reply(text);
    } catch (postError) {
      context.logger.warn({ err: postError }, 'could not post the failure to Slack');
    }
  }
}
