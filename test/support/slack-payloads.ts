/**
 * Payloads as Slack delivers them to an app, the same over HTTP (signed, see slack-signing.ts) and over
 * Socket Mode (in an envelope, see fake-slack-socket-mode.ts): a slash command's fields, an Events API
 * callback, and a button click (block_actions), built either from plain values or from a button of a message
 * the fake Slack Web API shows. Written from Slack's documented shapes, not from the code under test.
 */
import type { FakeMessage } from './fake-slack-api.js';
import { accessoryButtonsOf, buttonsOf } from './fake-slack-messages.js';

export const fakeTeam = { id: 'T0FAKE', domain: 'fake' } as const;
export const fakeAppId = 'A0AEGIS';
export const verificationToken = 'legacy-verification-token';

/** The fields of a slash command (form fields over HTTP, the envelope payload over Socket Mode). */
export function slashCommandFields(fields: {
  text: string;
  user: string;
  channel?: string | undefined;
  command?: string | undefined;
  responseUrl?: string | undefined;
  triggerId: string;
  appId?: string | undefined;
}): Record<string, string> {
  return {
    token: verificationToken,
    team_id: fakeTeam.id,
    team_domain: fakeTeam.domain,
    channel_id: fields.channel ?? 'C0ALERTS',
    channel_name: 'alerts',
    user_id: fields.user,
    user_name: fields.user.toLowerCase(),
    command: fields.command ?? '/aegis',
    text: fields.text,
    api_app_id: fields.appId ?? fakeAppId,
    response_url: fields.responseUrl ?? 'http://127.0.0.1:9/commands/response',
    trigger_id: fields.triggerId,
  };
}

/** An Events API `event_callback` around `event`, as the bot user U0AEGIS is authorised for. */
export function eventCallback(event: Record<string, unknown>, eventId: string, appId = fakeAppId) {
  return {
    token: verificationToken,
    team_id: fakeTeam.id,
    api_app_id: appId,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event,
    authorizations: [
      { team_id: fakeTeam.id, user_id: 'U0AEGIS', is_bot: true, is_enterprise_install: false },
    ],
  };
}

export interface ButtonClick {
  readonly user: string;
  readonly triggerId: string;
  readonly channel: { readonly id: string; readonly name: string };
  /** The message the button is on (and the thread it is in). */
  readonly message: {
    readonly ts: string;
    readonly threadTs: string | undefined;
    readonly text: string | undefined;
    readonly blocks?: unknown[] | undefined;
  };
  /** The ts Slack gives the container; the message's own by default. */
  readonly containerTs?: string;
  readonly button: {
    readonly actionId: string;
    readonly blockId: string;
    readonly value: string;
    readonly text: string;
  };
  readonly actionTs: string;
}

/** A click on a message button: the `block_actions` interaction payload. */
export function blockActionsPayload(click: ButtonClick): Record<string, unknown> {
  const { user, message, button } = click;
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), team_id: fakeTeam.id },
    api_app_id: fakeAppId,
    token: verificationToken,
    team: fakeTeam,
    trigger_id: click.triggerId,
    container: {
      type: 'message',
      message_ts: click.containerTs ?? message.ts,
      channel_id: click.channel.id,
      is_ephemeral: false,
    },
    channel: click.channel,
    message: {
      type: 'message',
      ts: message.ts,
      thread_ts: message.threadTs,
      text: message.text,
      blocks: message.blocks,
    },
    response_url: 'http://127.0.0.1:9/actions/response',
    actions: [
      {
        type: 'button',
        action_id: button.actionId,
        block_id: button.blockId,
        value: button.value,
        text: { type: 'plain_text', text: button.text },
        action_ts: click.actionTs,
      },
    ],
  };
}

/** `user` clicking the `actionId` button of a message the fake Slack Web API shows, in channel aegis-ops. */
export function clickOn(user: string, message: FakeMessage, actionId: string): Record<string, unknown> {
  const found = [buttonsOf(message), ...accessoryButtonsOf(message)].find((candidate) =>
    candidate?.buttons.some((button) => button.action_id === actionId),
  );
  const button = found?.buttons.find((candidate) => candidate.action_id === actionId);
  if (found === undefined || button === undefined) throw new Error(`no ${actionId} button on the message`);
  return blockActionsPayload({
    user,
    triggerId: `trigger-${user}`,
    channel: { id: message.channel, name: 'aegis-ops' },
    message,
    button: {
      actionId: button.action_id,
      blockId: found.blockId,
      value: button.value,
      text: button.text.text,
    },
    actionTs: `${Math.floor(Date.now() / 1000)}.000001`,
  });
}
