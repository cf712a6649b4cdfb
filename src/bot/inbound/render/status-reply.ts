/** The reply to `/aegis status`. */
import type { ComponentStatus, StatusReport } from '../inbound-services.js';
import { code, escapeText, reply, section, type ChatReply } from './blocks.js';

function line(name: string, status: ComponentStatus | undefined): string {
  if (status === undefined) return `:white_circle: *${name}:* not configured`;
  const detail = status.detail === undefined ? '' : ` (${escapeText(status.detail)})`;
  return `${status.ok ? ':large_green_circle:' : ':red_circle:'} *${name}:* ${status.ok ? 'reachable' : 'unreachable'}${detail}`;
}

export function renderStatus(report: StatusReport): ChatReply {
  const components = [
    line('Kubernetes API server', report.apiServer),
    line('Redis', report.redis),
    line('LLM', report.llm),
  ];
  const queues =
    report.queues.length === 0
      ? 'no queues'
      : report.queues.map((queue) => `${code(queue.name)} ${queue.depth} waiting`).join(' · ');
  const healthy = report.apiServer.ok && report.redis.ok && (report.llm?.ok ?? true);
  return reply('ephemeral', healthy ? 'Aegis is healthy.' : 'Aegis has a problem: see the details.', [
    section(components.join('\n')),
    section(`*Queues:* ${queues}`),
  ]);
}
