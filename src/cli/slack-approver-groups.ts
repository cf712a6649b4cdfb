/**
 * Server-side group resolution for approval decisions that arrive without a Slack session (the HTTP API and
 * the CLI through it): which of a request's approver groups (Slack user groups, `S…`) a user belongs to, asked
 * of Slack with the bot token and cached like the bot's own resolver. Groups are never taken from a request
 * (docs/security.md §2). Without a Slack bot token, API callers qualify only by their own id.
 */
import { createSlackClient } from '../bot/index.js';
import { createSlackGroupResolver } from '../bot/inbound/index.js';
import type { AegisConfig } from '../config/index.js';
import type { Logger } from '../core/logger.js';

export function slackApproverGroups(
  config: Pick<AegisConfig, 'slackBotToken' | 'slackApiUrl'>,
  logger: Logger,
): ((userId: string, candidates: readonly string[]) => Promise<readonly string[]>) | undefined {
  if (config.slackBotToken === undefined) return undefined;
  const client = createSlackClient({
    token: config.slackBotToken,
    ...(config.slackApiUrl === undefined ? {} : { apiUrl: config.slackApiUrl }),
    logger,
  });
  const resolver = createSlackGroupResolver(
    {
      usergroups: {
        users: {
          list: async ({ usergroup }) => ({
            ok: true,
            users: [...(await client.userGroupMembers(usergroup))],
          }),
        },
      },
    },
    5 * 60_000,
    { logger },
  );
  return async (userId, candidates) => await resolver.groupsOf(userId, candidates);
}
