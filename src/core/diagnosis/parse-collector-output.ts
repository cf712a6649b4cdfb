/**
 * The collector pod's log: `[section]` header lines start a section (kernel, gpu, kubelet, …), every other
 * non-empty line belongs to the current one (a leading `- ` is dropped, as upstream's collect.sh writes it).
 * Each section keeps its last `maxLinesPerSection` lines.
 */
import type { CollectorOutput } from './diagnosis-facts.js';
import { splitLogLines } from './filter-log-lines.js';

export function parseCollectorOutput(text: string, maxLinesPerSection = 50): CollectorOutput {
  const sections: Record<string, string[]> = {};
  let current = 'output';
  for (const raw of splitLogLines(text)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('[') && line.endsWith(']') && line.length <= 64 && !line.includes(' ')) {
      current = line.slice(1, -1);
      sections[current] ??= [];
      continue;
    }
    const lines = (sections[current] ??= []);
    lines.push(line.startsWith('- ') ? line.slice(2) : line);
    if (lines.length > maxLinesPerSection) lines.shift();
  }
  return { sections };
}
