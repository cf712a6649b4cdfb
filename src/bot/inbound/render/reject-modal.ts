/** The modal the Reject button opens: it asks for a reason; submitting it performs the rejection. */
import type { ModalView } from '@slack/types';
import { code, context, section } from './blocks.js';
import { rejectModalCallbackId, rejectReasonActionId, rejectReasonBlockId } from './approval-ids.js';

/** What the modal carries to its submission (Slack keeps it in `private_metadata`, at most 3,000 chars). */
export interface RejectModalMetadata {
  alert: { namespace: string; name: string };
  /** Where the button was clicked, to explain a refusal there (absent from App Home). */
  channel?: string;
  threadTs?: string;
}

export function renderRejectModal(metadata: RejectModalMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: rejectModalCallbackId,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'Reject the run' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`Reject the run for alert ${code(`${metadata.alert.namespace}/${metadata.alert.name}`)}?`),
      {
        type: 'input',
        block_id: rejectReasonBlockId,
        label: { type: 'plain_text', text: 'Reason' },
        element: {
          type: 'plain_text_input',
          action_id: rejectReasonActionId,
          multiline: true,
          max_length: 2_000,
          placeholder: { type: 'plain_text', text: 'Why should this not run?' },
        },
      },
      context('The reason is recorded on the alert and shown in its thread.'),
    ],
  };
}

/** The metadata of a submitted modal; undefined when it is not ours or was tampered with. */
export function parseRejectModalMetadata(text: string): RejectModalMetadata | undefined {
  try {
    const value = JSON.parse(text) as Partial<RejectModalMetadata> | null;
    const alert = value?.alert;
    if (typeof alert?.namespace !== 'string' || typeof alert.name !== 'string') return undefined;
    return {
      alert: { namespace: alert.namespace, name: alert.name },
      ...(typeof value?.channel === 'string' ? { channel: value.channel } : {}),
      ...(typeof value?.threadTs === 'string' ? { threadTs: value.threadTs } : {}),
    };
  } catch {
    return undefined;
  }
}
