/**
 * Reading what the fake Slack Web API shows (test/support/fake-slack-api.ts), as a person would see it: a
 * message's text, blocks and attachments, its buttons, a channel's root messages and their threads.
 */
import type { FakeMessage, FakeRootMessage, FakeSlackApi } from './fake-slack-api.js';

/** What a person sees of a message: its text, blocks and attachments (nothing while there is no message). */
export const shown = (message: Pick<FakeMessage, 'text' | 'blocks' | 'attachments'> | undefined): string =>
  message === undefined ? '' : JSON.stringify([message.text, message.blocks, message.attachments]);

/** A button of an `actions` block, as Aegis renders them. */
export interface MessageButton {
  readonly action_id: string;
  readonly value: string;
  readonly text: { readonly text: string };
}

/** The buttons of a message's `actions` block, or undefined when it has none. */
export function buttonsOf(message: FakeMessage): { blockId: string; buttons: MessageButton[] } | undefined {
  const blocks = (message.blocks ?? []) as { type: string; block_id?: string; elements?: unknown[] }[];
  const actions = blocks.find((block) => block.type === 'actions');
  if (actions === undefined) return undefined;
  return { blockId: actions.block_id ?? '', buttons: (actions.elements ?? []) as MessageButton[] };
}

/** Buttons beside a section's text (`accessory`), each with its section's block id. */
export function accessoryButtonsOf(message: FakeMessage): { blockId: string; buttons: MessageButton[] }[] {
  const blocks = (message.blocks ?? []) as {
    type: string;
    block_id?: string;
    accessory?: { type?: string };
  }[];
  return blocks
    .filter((block) => block.type === 'section' && block.accessory?.type === 'button')
    .map((block) => ({
      blockId: block.block_id ?? '',
      buttons: [block.accessory as unknown as MessageButton],
    }));
}

/** One channel of the fake, read again on every call (the fake hands out snapshots: read again to see edits). */
export interface FakeChannelView {
  /** The root message with this ts, as shown now. */
  root(ts: string): FakeRootMessage | undefined;
  /** The thread replies under the root message with this ts (none while it is not there). */
  replies(rootTs: string): FakeMessage[];
  /** Every message of the channel, roots and thread replies. */
  everyMessage(): FakeMessage[];
}

export function channelView(slack: FakeSlackApi, channel: string): FakeChannelView {
  const root = (ts: string): FakeRootMessage | undefined =>
    slack.messages(channel).find((message) => message.ts === ts);
  return {
    root,
    replies: (rootTs) => root(rootTs)?.replies ?? [],
    everyMessage: () => slack.messages(channel).flatMap((message) => [message, ...message.replies]),
  };
}

/**
 * Posts `text` to `channel` through the fake's Web API with the bot token and answers its ts: a message for a
 * test to mention the bot in or reply under (the fake knows only messages posted through it).
 */
export async function postAsBot(
  slack: FakeSlackApi,
  token: string,
  channel: string,
  text: string,
): Promise<string> {
  const posted = await fetch(`${slack.url}chat.postMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ channel, text }),
  });
  return ((await posted.json()) as { ts: string }).ts;
}
