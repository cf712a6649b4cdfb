/**
 * LangChain turns LangSmith tracing on by itself when LANGSMITH_TRACING(_V2) or LANGCHAIN_TRACING(_V2) is "true"
 * in the environment, and would then send every prompt and tool output (cluster data) to a third party. Aegis
 * decides with its own setting, AEGIS_LLM_TRACING: unless it says `langsmith`, those variables are set to
 * "false" in the process environment before anything from LangChain runs.
 */
export const tracingVariables = [
  'LANGSMITH_TRACING_V2',
  'LANGCHAIN_TRACING_V2',
  'LANGSMITH_TRACING',
  'LANGCHAIN_TRACING',
] as const;

/** Turns LangChain's own tracing switches off in `environment` unless `tracing` is `langsmith`; says which. */
export function applyTracingSetting(
  tracing: 'off' | 'langsmith',
  environment: Record<string, string | undefined>,
): string[] {
  if (tracing === 'langsmith') return [];
  const turnedOff: string[] = [];
  for (const name of tracingVariables) {
    if (environment[name] !== undefined && environment[name] !== 'false') turnedOff.push(name);
    environment[name] = 'false';
  }
  return turnedOff;
}
