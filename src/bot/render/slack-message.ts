/** The platform data a renderer produces: exactly the fields of `chat.postMessage` / `chat.update`. */
import type { KnownBlock, MessageAttachment } from '@slack/types';

export interface SlackMessage {
  /** Notification and screen-reader text; Slack shows it where blocks cannot be shown. */
  readonly text: string;
  readonly blocks: KnownBlock[];
  /** One coloured attachment carries the details, so the message has a state colour bar. */
  readonly attachments?: MessageAttachment[];
}

/** Slack rejects a section text longer than this. */
export const sectionTextLimit = 3000;
/** Action ids of the approval buttons (the inbound half listens for these). */
export const approveActionId = 'aegis_approve';
export const rejectActionId = 'aegis_reject';
export const approvalBlockId = 'aegis_approval';
/** The "View manifest" button on an approval card (its value is the alert's `namespace/name`). */
export const viewManifestActionId = 'aegis_view_manifest';
