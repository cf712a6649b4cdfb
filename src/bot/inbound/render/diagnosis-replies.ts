/** The immediate reply to `/aegis diagnose` (the summary follows later, see render/render-diagnosis.ts). */
import { code, reply, section, type ChatReply } from './blocks.js';

export function renderDiagnosisStarted(object: string, diagnosis: string): ChatReply {
  return reply('in_channel', `Diagnosing ${object}`, [
    section(`:mag: Diagnosing ${code(object)} (${code(diagnosis)}); the summary follows here.`),
  ]);
}

export function renderDiagnosesDisabled(): ChatReply {
  return reply('ephemeral', 'Diagnosis from Slack is not available in this process.');
}
