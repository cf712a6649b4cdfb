import { z } from 'zod';
import { defineTool } from './agent-tool.js';
import type { AgentToolDependencies } from './tool-dependencies.js';

export const maxLogLines = 500;
/** What the API server is asked for at most, and what the model gets at most. */
const fetchBytes = 256 * 1024;
const answerBytes = 12 * 1024;

const schema = z.object({
  namespace: z.string().min(1).max(63).describe('Namespace of the pod.'),
  name: z.string().min(1).max(253).describe('Name of the pod.'),
  container: z.string().max(253).optional().describe('Container name; leave out for the default container.'),
  tailLines: z
    .number()
    .int()
    .min(1)
    .max(maxLogLines)
    .optional()
    .describe(`How many of the last log lines to read (default 100, at most ${maxLogLines}).`),
  keyword: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Keep only lines containing this text (case-insensitive), e.g. "error" or "OOM".'),
  previous: z
    .boolean()
    .optional()
    .describe('Read the log of the previous (crashed) container instance instead of the current one.'),
});

export function getPodLogsTool({ reader, redact }: AgentToolDependencies) {
  return defineTool({
    name: 'get_pod_logs',
    description: `Read the tail of a pod's container log, optionally filtered by a keyword. At most ${maxLogLines} lines and ${answerBytes / 1024} KB are returned.`,
    schema,
    kind: 'read',
    async run(input) {
      const tailLines = input.tailLines ?? 100;
      const text = await reader.readPodLog({
        namespace: input.namespace,
        name: input.name,
        container: input.container,
        tailLines,
        limitBytes: fetchBytes,
        previous: input.previous,
      });
      // Redacted BEFORE the keyword filter: filtering the raw log and reporting linesMatching would let a question
      // guess a secret prefix by prefix ("PGPASSWORD=h", "PGPASSWORD=hu", …). The whole text is redacted at once,
      // so secrets spanning lines (PEM keys) are recognised.
      const redacted = redact(text);
      const lines = redacted === '' ? [] : redacted.replace(/\n$/, '').split('\n');
      const keyword = input.keyword?.toLowerCase();
      const matching =
        keyword === undefined ? lines : lines.filter((line) => line.toLowerCase().includes(keyword));
      // Keep the newest lines that fit: the end of a log is what explains a crash.
      const kept: string[] = [];
      let bytes = 0;
      for (let index = matching.length - 1; index >= 0; index -= 1) {
        const line = matching[index] ?? '';
        const size = Buffer.byteLength(line) + 1;
        if (bytes + size > answerBytes) break;
        kept.unshift(line);
        bytes += size;
      }
      return {
        pod: `${input.namespace}/${input.name}`,
        container: input.container,
        linesRead: lines.length,
        linesMatching: matching.length,
        linesShown: kept.length,
        log: kept.join('\n'),
      };
    },
  });
}
