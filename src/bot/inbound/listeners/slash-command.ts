/** `/aegis <text>`: parse, run, reply; failures in plain words (never a stack trace). */
import { describeCommand, executeCommand } from '../commands/execute-command.js';
import { parseCommand } from '../commands/parse-command.js';
import type { ChatReply } from '../render/blocks.js';
import { renderFailure } from '../render/help-reply.js';
import { explainFailure, type ListenerContext } from './listener-context.js';

export interface SlashCommandInput {
  text: string;
  user: string;
  channel?: string | undefined;
}

export async function handleSlashCommand(
  input: SlashCommandInput,
  context: ListenerContext,
): Promise<ChatReply> {
  const command = parseCommand(input.text);
  const fields = { user: input.user, channel: input.channel, ...describeCommand(command) };
  context.logger.info(fields, 'slash command');
  try {
    return await executeCommand(command, {
      user: input.user,
      channel: input.channel,
      services: context.services,
      groups: context.groups,
      clock: context.clock,
      rights: context.rights,
    });
  } catch (error) {
    return renderFailure(explainFailure(context, `command:${command.kind}`, error, fields));
  }
}
