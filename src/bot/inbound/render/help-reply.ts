/** `/aegis help`, the answer to unknown words, usage errors and failures, all in plain words. */
import { commandUsage } from '../commands/parse-command.js';
import { code, context, escapeText, reply, section, type ChatReply } from './blocks.js';

const descriptions: Record<keyof typeof commandUsage, string> = {
  help: 'this help',
  alerts: 'open alerts (filter by type, status or node)',
  alert: 'one alert: state, ops run and approval',
  approve: 'approve the run an alert waits for',
  reject: 'reject the run an alert waits for',
  rules: 'the alert ops rules',
  templates: 'the ops templates you can run',
  run: 'ask to run a template (someone else approves)',
  silence: 'mute an alert type or fingerprint for a while (30m, 2h, 1d)',
  silences: 'the silences in force',
  unsilence: 'end a silence',
  status: 'queues, API server, Redis and LLM reachability',
  checks: 'the cluster health checks and their last round',
  check: "check one node now with a cluster check's checker; the result is posted here",
  diagnose: 'diagnose a node, pod, PyTorchJob or workflow (read-only); the summary is posted here',
};

export function helpLines(): string {
  return Object.entries(commandUsage)
    .map(([name, usage]) => `${code(`/aegis ${usage}`)} — ${descriptions[name as keyof typeof commandUsage]}`)
    .join('\n');
}

export function renderHelp(unknown?: string): ChatReply {
  const intro =
    unknown === undefined || unknown === ''
      ? '*Aegis* runs ops workflows for alerts and asks before it does anything risky.'
      : `I don't know ${code(unknown)}. Here is what I can do:`;
  return reply('ephemeral', `Aegis commands: ${Object.values(commandUsage).join(', ')}`, [
    section(intro),
    section(helpLines()),
    context('Approve or reject from the buttons in an alert thread, or mention me there with a question.'),
  ]);
}

/** The help answer to a mention, DM or thread reply when no LLM agent is configured. */
export function renderConversationHelp(): ChatReply {
  return reply('in_channel', 'I can only run commands for now: try /aegis help.', [
    section(
      "I can't answer free-text questions yet (no LLM is configured), but these commands work:\n" +
        helpLines(),
    ),
  ]);
}

export function renderUsageError(message: string, usage: string): ChatReply {
  return reply('ephemeral', `${message}. Usage: ${usage}`, [
    section(`:warning: ${escapeText(message)}.`),
    context(`Usage: ${code(usage)} · ${code('/aegis help')} lists every command`),
  ]);
}

/** A refusal or failure in plain words (an AegisError's userMessage, or "internal error, see logs (ref …)"). */
export function renderFailure(message: string): ChatReply {
  return reply('ephemeral', message, [section(`:no_entry: ${escapeText(message)}`)]);
}
