/**
 * Aegis tools as LangChain tools for one turn: each call goes through `runTool` (schema, deadline, redaction,
 * size bound) with the turn's context, and is recorded so the answer can cite what it rests on.
 */
import { tool } from 'langchain';
import type { AgentTool, AgentToolContext, ToolInvocation, ToolRunOptions } from '../tools/index.js';
import { runTool } from '../tools/index.js';

export function toLangChainTools(
  tools: readonly AgentTool[],
  context: AgentToolContext,
  options: ToolRunOptions,
  record: (invocation: ToolInvocation) => void,
) {
  // A model that repeats a call (same tool, same arguments) gets the earlier answer: no second read, and
  // above all no second ops request for the same proposal.
  const earlier = new Map<string, Promise<ToolInvocation>>();
  return tools.map((definition) =>
    tool(
      async (input: unknown) => {
        const key = `${definition.name}\u0000${JSON.stringify(input)}`;
        const known = earlier.get(key);
        if (known !== undefined) return (await known).text;
        const running = runTool(definition, input, context, options);
        earlier.set(key, running);
        const invocation = await running;
        record(invocation);
        return invocation.text;
      },
      { name: definition.name, description: definition.description, schema: definition.schema },
    ),
  );
}
