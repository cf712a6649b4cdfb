/** A rough token count (characters / 4), used before a call to check budgets and when a server sends no usage. */
export function estimateTokens(value: unknown): number {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return Math.ceil(text.length / 4);
}
