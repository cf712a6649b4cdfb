/**
 * The system prompt of one turn: the operator-editable prompt (`prompts/agent.md`, overridable from
 * AEGIS_PROMPTS_DIR) plus what Aegis knows about the turn: the time, where the question was asked, and the
 * alert of the thread (already redacted). Pure, so its rendering is snapshot-tested.
 */
export interface TurnSetting {
  now: Date;
  /** `slack` or `terminal`. */
  surface: 'slack' | 'terminal';
  /** The alert of the thread, as get_alert shows it (redacted). */
  alert?: unknown;
  maxSteps: number;
}

export function renderSystemPrompt(basePrompt: string, setting: TurnSetting): string {
  const lines = [
    basePrompt.trim(),
    '',
    '## This conversation',
    '',
    `- Current time: ${setting.now.toISOString()}`,
    `- Surface: ${setting.surface === 'slack' ? 'a Slack thread (use Slack mrkdwn: *bold*, `code`, short lists)' : 'a terminal (plain text)'}`,
    `- You may call tools at most ${setting.maxSteps - 1} rounds before you must answer.`,
  ];
  if (setting.alert !== undefined) {
    lines.push(
      '- The question was asked in the thread of this alert; "it", "this" and "the node" refer to it unless the user says otherwise:',
      '',
      '```json',
      JSON.stringify(setting.alert, null, 2),
      '```',
    );
  }
  return `${lines.join('\n')}\n`;
}
