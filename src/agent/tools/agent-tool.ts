/**
 * An agent tool, defined like the Vercel AI SDK defines one: a name, a description, and a zod input schema
 * whose every field carries a `.describe()` text (the model reads them). Plain data and functions only: the
 * agent loop turns these into LangChain tools, so no tool file imports an LLM SDK.
 */
import type { z } from 'zod';

/** Who is asking, in which conversation: fixed by Aegis for the turn, never chosen by the model. */
export interface AgentToolContext {
  /** Chat user id (Slack `U…`) or user name of the person asking; the requester of any proposal. */
  readonly user: string;
  readonly channel?: string | undefined;
  readonly conversationId: string;
  /** Aborted when the turn times out. */
  readonly signal: AbortSignal;
}

export type AgentToolKind = 'read' | 'proposal';

export interface AgentTool<Schema extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly description: string;
  readonly schema: Schema;
  /** `read` tools only read; the one `proposal` tool creates an approval-required ops request. */
  readonly kind: AgentToolKind;
  run(input: z.infer<Schema>, context: AgentToolContext): Promise<unknown>;
}

/** Keeps the schema's inferred input type at the definition and erases it for the list of tools. */
export function defineTool<Schema extends z.ZodObject>(tool: AgentTool<Schema>): AgentTool {
  return tool;
}

/** A tool answer for a lookup that found nothing: data for the model, not an error. */
export function notFound(kind: string, name: string, namespace?: string): { found: false; message: string } {
  const where = namespace === undefined ? '' : ` in namespace ${namespace}`;
  return { found: false, message: `${kind} ${name} not found${where}` };
}
