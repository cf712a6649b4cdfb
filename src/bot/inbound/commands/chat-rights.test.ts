import { describe, expect, it } from 'vitest';
import { createSlackGroupResolver } from '../slack-group-resolver.js';
import { noChatOperators, operatorRefusal, silenceTooLong } from './chat-rights.js';

/** A Slack usergroups.users.list that knows one group. */
const groups = createSlackGroupResolver(
  {
    usergroups: {
      users: {
        list: ({ usergroup }) =>
          Promise.resolve({ ok: true, users: usergroup === 'S0OPS' ? ['U0MEMBER'] : [] }),
      },
    },
  },
  60_000,
);

describe('chat rights', () => {
  it('refuses every state change while AEGIS_SLACK_OPERATORS is unset, saying what to set', async () => {
    for (const command of ['silence', 'unsilence', 'run'] as const) {
      expect(await operatorRefusal(command, 'U0ANYONE', noChatOperators, groups)).toBe(
        `/aegis ${command} changes what Aegis does, so it needs a right: set AEGIS_SLACK_OPERATORS on the Aegis server to the Slack users or user groups allowed to silence, unsilence and run.`,
      );
    }
  });

  it('allows listed users and members of listed user groups, nobody else', async () => {
    const rights = { operators: ['U0LISTED', 'S0OPS'], silenceMaxMs: 3_600_000 };
    expect(await operatorRefusal('silence', 'U0LISTED', rights, groups)).toBeUndefined();
    expect(await operatorRefusal('run', 'U0MEMBER', rights, groups)).toBeUndefined();
    expect(await operatorRefusal('run', 'U0GUEST', rights, groups)).toContain(
      'Only operators may /aegis run',
    );
  });

  it('caps silences at AEGIS_SILENCE_MAX', () => {
    expect(silenceTooLong(3_600_000, { operators: [], silenceMaxMs: 3_600_000 })).toBeUndefined();
    expect(silenceTooLong(9999 * 604_800_000, noChatOperators)).toBe(
      'A silence lasts at most 7d (AEGIS_SILENCE_MAX); ask for 7d or less.',
    );
  });
});
