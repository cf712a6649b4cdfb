/**
 * The Slack bot's AgentPort (src/bot/inbound): a mention, DM or thread reply gets a placeholder ("looking…") in
 * its thread at once, then the agent's answer replaces it (`chat.update`). One conversation per thread; in an
 * alert's thread the agent gets that alert as context. Any failure replaces the placeholder with a plain
 * message, so a thread never keeps a "looking…" forever.
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

export interface SlackAgentPortOptions {
  askAgent: AskAgent;
  slack: AgentSlackClient;
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
      return undefined;
    },
  };
}
