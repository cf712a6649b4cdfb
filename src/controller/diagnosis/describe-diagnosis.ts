/** A finished (or running) AegisDiagnosis as plain text, for the CLI and logs. */
import type { AegisDiagnosis } from '../../core/resources/index.js';
import { describeTarget, targetOf } from './diagnosis-target.js';

export function describeDiagnosis(diagnosis: AegisDiagnosis): { text: string; healthy: boolean } {
  const status = diagnosis.status;
  const target = describeTarget(targetOf(diagnosis));
  const lines = [
    `Diagnosis ${diagnosis.metadata.namespace ?? ''}/${diagnosis.metadata.name ?? ''} of ${target}: ${status?.phase ?? 'Pending'}${status?.result?.status === undefined ? '' : `, ${status.result.status}`}`,
  ];
  if (status?.errorResult !== undefined) lines.push(status.errorResult);
  const section = (title: string, items: readonly string[] | undefined): void => {
    if (items === undefined || items.length === 0) return;
    lines.push('', `${title}:`, ...items.map((item) => `- ${item.replace(/\n/g, '\n  ')}`));
  };
  section('Failures', status?.result?.failures);
  section('Warnings', status?.result?.warnings);
  if (status?.explain !== undefined && status.explain !== '') lines.push('', status.explain);
  const healthy = status?.phase === 'Completed' && status.result?.status !== 'UnHealthy';
  return { text: `${lines.join('\n')}\n`, healthy };
}
