/**
 * Runs one tool call the way the model may see it: input checked against the schema, a deadline, the output
 * passed through redaction, then bounded in size. A failure becomes a short error the model can read (and
 * say so), never an exception that ends the turn; only the turn's own abort propagates.
 */
import { isAegisError } from '../../core/errors.js';
import type { AgentTool, AgentToolContext, AgentToolKind } from './agent-tool.js';
import { clip } from './summarize-objects.js';

export interface ToolRunOptions {
  /** Redaction of everything the model will see (drops Secret objects, masks tokens). */
  redactValue(value: unknown): unknown;
  /** Deadline per tool call (default 10 s). */
  timeoutMs?: number;
  /** Bound on the JSON text the model gets (default 16,000 characters). */
  maxOutputChars?: number;
}

export interface ToolInvocation {
  readonly tool: string;
  readonly kind: AgentToolKind;
  /** The arguments as the model sent them. */
  readonly input: unknown;
  readonly ok: boolean;
  /** The redacted result (or `{ error }`). */
  readonly output: unknown;
  /** Exactly what the model receives. */
  readonly text: string;
  readonly truncated: boolean;
  readonly durationMs: number;
}

export const defaultToolTimeoutMs = 10_000;
export const defaultMaxOutputChars = 16_000;

export class ToolTimeoutError extends Error {
  constructor(tool: string, timeoutMs: number) {
    super(`${tool} did not answer within ${timeoutMs} ms`);
    this.name = 'ToolTimeoutError';
  }
}

export async function runTool(
  tool: AgentTool,
  input: unknown,
  context: AgentToolContext,
  options: ToolRunOptions,
): Promise<ToolInvocation> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? defaultToolTimeoutMs;
  let ok = true;
  let result: unknown;
  try {
    context.signal.throwIfAborted();
    const parsed = tool.schema.safeParse(input);
    if (!parsed.success) {
      ok = false;
      result = {
        error: `invalid arguments: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`).join('; ')}`,
      };
    } else {
      result = await withDeadline(tool.run(parsed.data, context), timeoutMs, tool.name, context.signal);
    }
  } catch (error) {
    if (context.signal.aborted) throw context.signal.reason;
    ok = false;
    result = { error: describeToolError(error) };
  }
  const redacted = options.redactValue(result);
  const json = JSON.stringify(redacted ?? null);
  const limit = options.maxOutputChars ?? defaultMaxOutputChars;
  const text = clip(json, limit);
  return {
    tool: tool.name,
    kind: tool.kind,
    input,
    ok,
    output: redacted,
    text,
    truncated: text.length !== json.length,
    durationMs: performance.now() - started,
  };
}

function describeToolError(error: unknown): string {
  if (isAegisError(error)) return clip(error.userMessage ?? error.message, 500);
  if (error instanceof Error) return clip(error.message, 500);
  return 'the tool failed';
}

async function withDeadline<T>(
  work: Promise<T>,
  timeoutMs: number,
  tool: string,
  signal: AbortSignal,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ToolTimeoutError(tool, timeoutMs)), timeoutMs);
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
    // The losing side must not become an unhandled rejection.
    work.catch(() => undefined);
  }
}
