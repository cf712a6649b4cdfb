/**
 * The Slack bot's AgentPort (src/bot/inbound): a mention, DM or thread reply gets a placeholder ("looking…") in
 * its thread at once, then the agent's answer replaces it (`chat.update`). One conversation per thread; in an
 * alert's thread the agent gets that alert as context. Any failure replaces the placeholder with a plain
 * message, so a thread never keeps a "looking…" forever. A proposal (an ops request waiting for approval) is
 * shown in the same thread as an approval message, with exactly what will run and the buttons.
 */
import { randomUUID } from 'node:crypto';
import { describeForUser } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { AskAgent } from '../agent-loop/index.js';
import { placeholderMessage, renderAgentAnswer, type AgentSlackMessage } from './render-agent-answer.js';

/** The Slack Web API calls the port makes; src/bot/slack's SlackClient satisfies it. */
export interface AgentSlackClient {
  postMessage(input: {
    channel: string;
    threadTs?: string;
    message: AgentSlackMessage;
  }): Promise<{ channel: string; ts: string }>;
  updateMessage(input: {
    channel: string;
    ts: string;
    message: AgentSlackMessage;
  }): Promise<{ channel: string; ts: string }>;
}

/** The question shape of the bot's AgentPort. */
export interface SlackAgentQuestion {
  text: string;
  user: string;
  channel: string;
  threadTs: string;
  alertRef?: { namespace: string; name: string };
}

export interface SlackAgentPort {
  /** Posts by itself (placeholder, then the answer); resolves undefined, as the AgentPort contract allows. */
  answer(question: SlackAgentQuestion): Promise<undefined>;
}

/**
 * Puts the approval message of an ops request into a Slack thread and keeps it current there (the notifier's
 * `showApprovalInThread`), so a proposal shows up, with its buttons, where it was asked for.
 */
export interface ApprovalThreadPort {
  showApprovalInThread(
    request: { namespace: string; name: string },
    thread: { channel: string; threadTs: string },
  ): Promise<void>;
}

export interface SlackAgentPortOptions {
  askAgent: AskAgent;
  slack: AgentSlackClient;
  /** Without it, a proposal's approval message appears only in the ops request's own thread. */
  approvalThreads?: ApprovalThreadPort | undefined;
  logger?: Logger;
  newReference?: () => string;
}

export function slackConversationId(channel: string, threadTs: string): string {
  return `slack:${channel}:${threadTs}`;
}

export function createSlackAgentPort(options: SlackAgentPortOptions): SlackAgentPort {
  const logger = (options.logger ?? silentLogger).child({ component: 'agent-slack' });
  const newReference = options.newReference ?? (() => randomUUID().slice(0, 8));
  return {
    async answer(question) {
      const placeholder = await options.slack.postMessage({
        channel: question.channel,
        threadTs: question.threadTs,
        message: placeholderMessage,
      });
      let message: AgentSlackMessage;
      let proposed: { namespace: string; name: string }[] = [];
      try {
        const reply = await options.askAgent({
          conversationId: slackConversationId(question.channel, question.threadTs),
          text: question.text,
          user: question.user,
          channel: question.channel,
          surface: 'slack',
          ...(question.alertRef === undefined ? {} : { alertContext: question.alertRef }),
        });
        message = renderAgentAnswer(reply);
        proposed = reply.proposals.flatMap((proposal) =>
          proposal.status === 'pending_approval'
            ? [{ namespace: proposal.namespace, name: proposal.request }]
            : [],
        );
      } catch (error) {
        const reference = newReference();
        logger.error(
          { err: error, reference, channel: question.channel, threadTs: question.threadTs },
          'agent turn failed',
        );
        const text = describeForUser(error, reference);
        message = {
          text,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${text}` } }],
        };
      }
      await options.slack.updateMessage({ channel: placeholder.channel, ts: placeholder.ts, message });
      // After the answer, so the thread reads: question, answer, then the approval message with its buttons.
      for (const request of proposed) {
        try {
          await options.approvalThreads?.showApprovalInThread(request, {
            channel: question.channel,
            threadTs: question.threadTs,
          });
        } catch (error) {
          // The request exists and its own thread has the buttons; only the copy here is missing.
          logger.warn(
            { err: error, request: request.name, channel: question.channel, threadTs: question.threadTs },
            'could not show the approval message in the thread',
          );
        }
      }
      return undefined;
    },
  };
}
