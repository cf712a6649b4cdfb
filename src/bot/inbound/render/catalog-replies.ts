/** Replies to `/aegis rules` and `/aegis templates`. */
import type { AegisAlertOpsRule, AegisOpsTemplate } from '../../../core/resources/index.js';
import { code, context, escapeText, reply, section, type ChatReply } from './blocks.js';

const listLimit = 30;

export function renderRules(rules: readonly AegisAlertOpsRule[]): ChatReply {
  if (rules.length === 0) return reply('ephemeral', 'There are no alert ops rules.');
  const sorted = [...rules].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const lines = sorted.slice(0, listLimit).map((rule) => {
    const conditions = rule.spec.alertConditions
      .map((condition) => `${escapeText(condition.type)} (${escapeText(condition.status)})`)
      .join(', ');
    const approval = rule.spec.approval?.required === true ? ' · needs approval' : '';
    const invalid =
      rule.status?.status === 'Invalid'
        ? ` · :warning: invalid: ${escapeText(rule.status.message ?? '')}`
        : '';
    return `${code(rule.metadata.name ?? '')} ${conditions} → ${code(rule.spec.opsTemplate.name)}${approval}${invalid}`;
  });
  const more = sorted.length > listLimit ? [context(`…and ${sorted.length - listLimit} more`)] : [];
  return reply('ephemeral', `${rules.length} alert ops rules`, [
    section(`*${rules.length}* alert ops rules:`),
    section(lines.join('\n')),
    ...more,
  ]);
}

export function renderTemplates(templates: readonly AegisOpsTemplate[]): ChatReply {
  if (templates.length === 0) return reply('ephemeral', 'There are no ops templates.');
  const sorted = [...templates].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const lines = sorted.slice(0, listLimit).map((template) => {
    const variables = manifestVariables(template.spec.manifest);
    const state = template.status?.status === 'Invalid' ? ' · :warning: invalid' : '';
    const counts = template.status?.executeStatus;
    const runs =
      counts === undefined ? '' : ` · ${counts.succeeded ?? 0} succeeded, ${counts.failed ?? 0} failed`;
    return `${code(template.metadata.name ?? '')}${variables.length === 0 ? '' : ` (${variables.map((name) => code(name)).join(' ')})`}${runs}${state}`;
  });
  const more = sorted.length > listLimit ? [context(`…and ${sorted.length - listLimit} more`)] : [];
  return reply('ephemeral', `${templates.length} ops templates`, [
    section(`*${templates.length}* ops templates:`),
    section(lines.join('\n')),
    ...more,
    context(`Run one: ${code('/aegis run <template> key=value ...')} (someone else approves)`),
  ]);
}

/** The `{{.name}}` variables a manifest uses (a hint for `run key=value`), in order of first use. */
export function manifestVariables(manifest: string): string[] {
  const names = new Set<string>();
  for (const match of manifest.matchAll(/\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(match[1] ?? '');
  return [...names].filter((name) => name !== '');
}
