/** Small Block Kit helpers for the inbound replies (plain data in, plain JSON out). */
import type {
  ActionsBlock,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  KnownBlock,
  SectionBlock,
} from '@slack/types';

/** A reply to one user (ephemeral) or to the channel, with `text` as the notification fallback. */
export interface ChatReply {
  visibility: 'ephemeral' | 'in_channel';
  text: string;
  blocks: KnownBlock[];
}

/** Slack's three control characters in mrkdwn; everything else is shown as typed. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code (backticks inside are replaced, they would end it). */
export function code(text: string): string {
  return `\`${escapeText(text).replace(/`/g, "'")}\``;
}

/** Slack limits a section's text to 3,000 characters. */
export function section(markdown: string): SectionBlock {
  const text = markdown.length > 3_000 ? `${markdown.slice(0, 2_990)}\n…` : markdown;
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: text.slice(0, 150), emoji: true } };
}

export function context(...markdown: string[]): ContextBlock {
  return { type: 'context', elements: markdown.map((text) => ({ type: 'mrkdwn', text })) };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function button(options: {
  actionId: string;
  text: string;
  value: string;
  style?: 'primary' | 'danger';
}): Button {
  return {
    type: 'button',
    action_id: options.actionId,
    text: { type: 'plain_text', text: options.text, emoji: true },
    value: options.value,
    ...(options.style === undefined ? {} : { style: options.style }),
  };
}

export function actions(blockId: string, elements: Button[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements };
}

/** `5m ago`-style age of an RFC 3339 time; '' when unknown. */
export function age(time: string | undefined, now: Date): string {
  if (time === undefined) return '';
  const ms = now.getTime() - Date.parse(time);
  if (!Number.isFinite(ms)) return '';
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  return `${Math.floor(hours / 24)}d ago`;
}

export function reply(visibility: ChatReply['visibility'], text: string, blocks?: KnownBlock[]): ChatReply {
  return { visibility, text, blocks: blocks ?? [section(escapeText(text))] };
}
