import { ApiException } from '@kubernetes/client-node';

/** The HTTP status of a failed API call, if it got that far. */
export function kubeStatusCode(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/**
 * A one-line reason for a failed API call. client-node's own message dumps the body and every header; the
 * Kubernetes `Status.message` in the body is what a person needs.
 */
export function describeKubeError(error: unknown): string {
  if (!(error instanceof ApiException)) return error instanceof Error ? error.message : String(error);
  const body: unknown = typeof error.body === 'string' ? parseJson(error.body) : error.body;
  const message =
    typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : undefined;
  return `HTTP ${error.code}${message === undefined ? '' : `: ${message}`}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
