/**
 * `diagnose`: the AegisDiagnosis analysis of a Node, Pod, PyTorchJob or Workflow (status, events, filtered
 * current and previous logs, the pods of a job or workflow) as one compact verdict.
 *
 * Why it runs the collectors and analyzers in-process instead of creating an AegisDiagnosis and waiting: the
 * agent stays a reader (every tool but the proposal only reads; creating CRs from a model's choice is what the
 * approval flow is for), it does not depend on the diagnosis controller running and keeping up, and it answers
 * within the tool deadline. Users who want the result kept and visible with kubectl run `aegis diagnose`.
 */
import { z } from 'zod';
import { explainFindings, resultOf } from '../../core/diagnosis/index.js';
import { defineTool } from './agent-tool.js';
import type { ObjectDiagnoser } from './tool-dependencies.js';

/** Findings kept per severity: the analyzers sort the root cause first. */
const maxFindings = 8;

const schema = z.object({
  kind: z
    .enum(['Node', 'Pod', 'PyTorchJob', 'Workflow'])
    .describe('Kind of the object to diagnose: Node, Pod, PyTorchJob or Workflow.'),
  name: z.string().min(1).max(253).describe('Name of the object.'),
  namespace: z
    .string()
    .min(1)
    .max(63)
    .optional()
    .describe('Namespace of the object (default "default"); ignored for a Node.'),
});

export function diagnoseTool(diagnoser: ObjectDiagnoser) {
  return defineTool({
    name: 'diagnose',
    description:
      "Diagnose a Node, Pod, PyTorchJob or Workflow the way AegisDiagnosis does: reads its status, events, the pods' current and previous logs (error lines first) and returns Healthy/UnHealthy/Unknown, the failures (root cause first), warnings and a short explanation with next steps. Use it first when asked why something is broken.",
    schema,
    kind: 'read',
    async run(input, context) {
      const outcome = await diagnoser.diagnose(
        { kind: input.kind, name: input.name, namespace: input.namespace },
        context.signal,
      );
      const result = resultOf(outcome);
      return {
        object:
          input.kind === 'Node'
            ? `Node ${input.name}`
            : `${input.kind} ${input.namespace ?? 'default'}/${input.name}`,
        status: result.status,
        failures: result.failures.slice(0, maxFindings),
        warnings: result.warnings.slice(0, maxFindings),
        explain: explainFindings(outcome),
      };
    },
  });
}
