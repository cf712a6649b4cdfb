/**
 * Slack's Block Kit limits, as documented (api.slack.com/reference/block-kit, docs.slack.dev/reference/views)
 * plus one Slack enforces without documenting it: `msg_blocks_too_long` for a message whose blocks hold more
 * than ~13,000 characters in all (slackapi/bolt-js#2509). Renderers stay inside these by construction;
 * `fitMessage` is the last guard, so no alert, however large, can make Slack refuse a message.
 */
import type { KnownBlock, MessageAttachment } from '@slack/types';
import type { SlackMessage } from './slack-message.js';

export const slackLimits = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  sectionText: 3_000,
  sectionFields: 10,
  fieldText: 2_000,
  contextElements: 10,
  contextText: 3_000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2_000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3_000,
  /** Our own budget for the `text` fallback (Slack truncates at 40,000; notifications show far less). */
  fallbackText: 3_000,
  /** Below Slack's undocumented total (~13,000 characters of text in all blocks of a message). */
  messageTextTotal: 11_000,
} as const;

const ellipsis = '…';

/**
 * `text` (escaped mrkdwn) cut to at most `limit` characters with an ellipsis, never inside an `&…;` entity,
 * a `<…>` token (link, mention, date) or a surrogate pair; a code block left open is closed.
 */
export function cutMrkdwn(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const fenceRoom = 4;
  let cut = text.slice(0, Math.max(0, limit - ellipsis.length - fenceRoom));
  const openToken = cut.lastIndexOf('<');
  if (openToken > cut.lastIndexOf('>')) cut = cut.slice(0, openToken);
  const ampersand = cut.lastIndexOf('&');
  if (ampersand >= 0 && ampersand > cut.lastIndexOf(';') && cut.length - ampersand < 8) {
    cut = cut.slice(0, ampersand);
  }
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  const fences = cut.split('```').length - 1;
  return fences % 2 === 1 ? `${cut}${ellipsis}\n\`\`\`` : `${cut}${ellipsis}`;
}

/** Plain text (button labels, titles) cut to `limit` characters with an ellipsis. */
export function cutPlain(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = text.slice(0, limit - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}${ellipsis}`;
}

/** The text Slack counts towards a message's total, block by block. */
function blockTextLength(block: KnownBlock): number {
  switch (block.type) {
    case 'section':
      return (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((sum, f) => sum + f.text.length, 0);
    case 'context':
      return block.elements.reduce((sum, e) => sum + ('text' in e ? e.text.length : 0), 0);
    case 'header':
      return block.text.text.length;
    default:
      return 0;
  }
}

function fitBlock(block: KnownBlock): KnownBlock {
  switch (block.type) {
    case 'section': {
      const fitted = { ...block };
      if (block.text !== undefined) {
        fitted.text = { ...block.text, text: cutMrkdwn(block.text.text, slackLimits.sectionText) };
      }
      if (block.fields !== undefined) {
        fitted.fields = block.fields
          .slice(0, slackLimits.sectionFields)
          .map((field) => ({ ...field, text: cutMrkdwn(field.text, slackLimits.fieldText) }));
      }
      return fitted;
    }
    case 'context':
      return {
        ...block,
        elements: block.elements
          .slice(0, slackLimits.contextElements)
          .map((element) =>
            'text' in element
              ? { ...element, text: cutMrkdwn(element.text, slackLimits.contextText) }
              : element,
          ),
      };
    case 'header':
      return { ...block, text: { ...block.text, text: cutPlain(block.text.text, slackLimits.headerText) } };
    default:
      return block;
  }
}

const cutNote: KnownBlock = {
  type: 'context',
  elements: [{ type: 'mrkdwn', text: ':scissors: Cut to fit Slack; the whole alert is in Kubernetes.' }],
};

/**
 * The message with every Block Kit limit applied: texts cut, fields and context elements capped, and blocks
 * (top-level and in the attachment, counted together) dropped from the end, with a note, once the count or
 * the total text would be over. A message already inside the limits is returned unchanged.
 */
export function fitMessage(message: SlackMessage): SlackMessage {
  const attachmentBlocks = (message.attachments?.[0]?.blocks ?? []) as KnownBlock[];
  const all = [...message.blocks, ...attachmentBlocks].map(fitBlock);
  const kept: KnownBlock[] = [];
  let total = 0;
  let dropped = false;
  for (const block of all) {
    const length = blockTextLength(block);
    if (
      kept.length >= slackLimits.blocksPerMessage - 1 ||
      total + length > slackLimits.messageTextTotal - 100
    ) {
      dropped = true;
      break;
    }
    kept.push(block);
    total += length;
  }
  if (dropped) kept.push(cutNote);
  const top = kept.slice(0, message.blocks.length);
  const rest = kept.slice(message.blocks.length);
  const attachment = message.attachments?.[0];
  const attachments: MessageAttachment[] | undefined =
    attachment === undefined
      ? undefined
      : [{ ...attachment, blocks: rest }, ...(message.attachments ?? []).slice(1)];
  return {
    text: cutMrkdwn(message.text, slackLimits.fallbackText),
    blocks: top,
    ...(attachments === undefined ? {} : { attachments }),
  };
}

/** Every way `message` breaks a Block Kit limit (empty when Slack would take it): for tests and checks. */
export function slackLimitViolations(message: SlackMessage): string[] {
  const problems: string[] = [];
  const blocks = [
    ...message.blocks,
    ...((message.attachments ?? []).flatMap((a) => a.blocks ?? []) as KnownBlock[]),
  ];
  if (blocks.length > slackLimits.blocksPerMessage) problems.push(`${blocks.length} blocks`);
  if (message.text.length > slackLimits.fallbackText) problems.push(`text of ${message.text.length}`);
  let total = 0;
  blocks.forEach((block, index) => {
    total += blockTextLength(block);
    problems.push(...blockViolations(block).map((problem) => `block ${index}: ${problem}`));
  });
  if (total > slackLimits.messageTextTotal) problems.push(`${total} characters of block text`);
  return problems;
}

/** Limits of one block (messages and modals alike). */
export function blockViolations(block: KnownBlock): string[] {
  const problems: string[] = [];
  if (block.type === 'section') {
    if ((block.text?.text.length ?? 0) > slackLimits.sectionText) problems.push('section text too long');
    if ((block.fields?.length ?? 0) > slackLimits.sectionFields) problems.push('too many fields');
    for (const field of block.fields ?? []) {
      if (field.text.length > slackLimits.fieldText) problems.push('field too long');
    }
    if (block.text === undefined && (block.fields?.length ?? 0) === 0) problems.push('empty section');
    if (block.accessory?.type === 'button') problems.push(...buttonViolations(block.accessory));
  }
  if (block.type === 'context') {
    if (block.elements.length > slackLimits.contextElements) problems.push('too many context elements');
    if (block.elements.length === 0) problems.push('empty context');
    for (const element of block.elements) {
      if ('text' in element && element.text.length > slackLimits.contextText)
        problems.push('context too long');
    }
  }
  if (block.type === 'header' && block.text.text.length > slackLimits.headerText)
    problems.push('header too long');
  if (block.type === 'actions') {
    for (const element of block.elements)
      if (element.type === 'button') problems.push(...buttonViolations(element));
  }
  return problems;
}

function buttonViolations(button: { text: { text: string }; value?: string }): string[] {
  const problems: string[] = [];
  if (button.text.text.length > slackLimits.buttonText) problems.push('button text too long');
  if ((button.value?.length ?? 0) > slackLimits.buttonValue) problems.push('button value too long');
  return problems;
}
