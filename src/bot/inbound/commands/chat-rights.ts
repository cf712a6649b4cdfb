/**
 * Who may change state from chat (issue 10 item 7): `silence`, `unsilence` and `run` need the user, or one of
 * their Slack user groups (resolved through Slack, never taken from the request), in AEGIS_SLACK_OPERATORS;
 * unset, those commands are refused with what to set. Silences last at most AEGIS_SILENCE_MAX. Reads stay open
 * to everyone in the channel; approving is governed by each rule's approvers.
 */
import { formatDuration } from '../../../core/silences/index.js';
import type { SlackGroupResolver } from '../slack-group-resolver.js';

export interface ChatRights {
  /** AEGIS_SLACK_OPERATORS: Slack user ids (`U…`, `W…`) and user group ids (`S…`). */
  readonly operators: readonly string[];
  /** AEGIS_SILENCE_MAX in milliseconds. */
  readonly silenceMaxMs: number;
}

/** Default rights: nobody may change state from chat, silences at most 7 days. */
export const noChatOperators: ChatRights = Object.freeze({ operators: [], silenceMaxMs: 7 * 86_400_000 });

/** Why `user` may not run `command`; undefined when they may. */
export async function operatorRefusal(
  command: 'silence' | 'unsilence' | 'run',
  user: string,
  rights: ChatRights,
  groups: SlackGroupResolver,
): Promise<string | undefined> {
  if (rights.operators.length === 0) {
    return `/aegis ${command} changes what Aegis does, so it needs a right: set AEGIS_SLACK_OPERATORS on the Aegis server to the Slack users or user groups allowed to silence, unsilence and run.`;
  }
  if (rights.operators.includes(user)) return undefined;
  if ((await groups.groupsOf(user, rights.operators)).length > 0) return undefined;
  return `Only operators may /aegis ${command}; <@${user}> is not one. Ask an admin to add you (or a user group of yours) to AEGIS_SLACK_OPERATORS.`;
}

/** Why a silence of `durationMs` is too long; undefined when it is allowed. */
export function silenceTooLong(durationMs: number, rights: ChatRights): string | undefined {
  if (durationMs <= rights.silenceMaxMs) return undefined;
  return `A silence lasts at most ${formatDuration(rights.silenceMaxMs)} (AEGIS_SILENCE_MAX); ask for ${formatDuration(rights.silenceMaxMs)} or less.`;
}
