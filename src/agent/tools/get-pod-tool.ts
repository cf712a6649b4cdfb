import { z } from 'zod';
import { defineTool, notFound } from './agent-tool.js';
import { summarizePod } from './summarize-objects.js';
import type { AgentToolDependencies } from './tool-dependencies.js';

const schema = z.object({
  namespace: z.string().min(1).max(63).describe('Namespace of the pod.'),
  name: z.string().min(1).max(253).describe('Name of the pod.'),
});

export function getPodTool({ reader }: AgentToolDependencies) {
  return defineTool({
    name: 'get_pod',
    description:
      'Get one pod: node, phase, conditions, and per container the image, resources, readiness, restarts and current/last state (e.g. OOMKilled, CrashLoopBackOff).',
    schema,
    kind: 'read',
    async run(input) {
      const pod = await reader.getPod(input.namespace, input.name);
      return pod === undefined ? notFound('Pod', input.name, input.namespace) : summarizePod(pod, 'full');
    },
  });
}
