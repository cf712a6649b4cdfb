/**
 * The one tool that leads to a change, and it changes nothing itself: it creates the same approval-required ops
 * request as `/aegis run` and answers with a typed status. The requester is the person asking (from the turn),
 * never a name the model chose, so approval rules (no self-approval) apply to that person.
 */
import { z } from 'zod';
import { isAegisError } from '../../core/errors.js';
import { defineTool } from './agent-tool.js';
import { templateVariables } from './summarize-objects.js';
import type { AgentToolDependencies } from './tool-dependencies.js';

/** What propose_ops_run answers: approval is a typed status, like the Vercel AI SDK's tool approval. */
export type ProposalResult =
  | {
      status: 'pending_approval';
      /** The AegisAlert (spec.source OpsRequest) that waits for approval. */
      request: string;
      namespace: string;
      template: string;
      parameters: Record<string, string>;
      message: string;
    }
  | { status: 'invalid'; template: string; message: string };

const schema = z.object({
  template: z
    .string()
    .min(1)
    .max(253)
    .describe('Name of the AegisOpsTemplate to run (see list_templates), e.g. cordon-node.'),
  templateNamespace: z
    .string()
    .max(63)
    .optional()
    .describe('Namespace of the template; leave out for the Aegis namespace.'),
  parameters: z
    .record(z.string(), z.string().max(4_096))
    .describe(
      'Template variables and their values, e.g. {"node": "worker-3"}; see the variables get_template lists.',
    ),
  reason: z
    .string()
    .min(1)
    .max(2_000)
    .describe('Why this run would help, citing the evidence; shown to the approvers.'),
});

export function proposeOpsRunTool({ reader, opsRequests, namespace }: AgentToolDependencies) {
  return defineTool({
    name: 'propose_ops_run',
    description:
      'Propose running an ops template (e.g. cordon or drain a node). This does NOT run anything: it creates an ops request that a human must approve in Slack or with `aegis approve`. Use it only when the user asks for a change or a change clearly helps.',
    schema,
    kind: 'proposal',
    async run(input, context): Promise<ProposalResult> {
      const templateNamespace = input.templateNamespace ?? namespace;
      const label = `${templateNamespace}/${input.template}`;
      const template = await reader.getTemplate(templateNamespace, input.template);
      if (template === undefined) {
        return { status: 'invalid', template: label, message: `template ${label} does not exist` };
      }
      // The run sees exactly these parameters, so a variable the manifest substitutes must be among them.
      const missing = templateVariables(template.spec.manifest ?? '').filter(
        (name) => input.parameters[name] === undefined,
      );
      if (missing.length > 0) {
        return { status: 'invalid', template: label, message: `missing parameters: ${missing.join(', ')}` };
      }
      try {
        const created = await opsRequests.createOpsRequest({
          template: { namespace: templateNamespace, name: input.template },
          parameters: input.parameters,
          requestedBy: context.user,
          reason: `${input.reason} (proposed by the Aegis assistant)`,
        });
        return {
          status: 'pending_approval',
          request: created.name,
          namespace: created.namespace,
          template: label,
          parameters: input.parameters,
          message: `Ops request ${created.name} is pending approval; nothing runs until someone approves it.`,
        };
      } catch (error) {
        if (isAegisError(error) && error.code === 'OPS_REQUEST_INVALID') {
          return { status: 'invalid', template: label, message: error.userMessage ?? error.message };
        }
        throw error;
      }
    },
  });
}
