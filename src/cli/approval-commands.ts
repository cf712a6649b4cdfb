/**
 * `aegis approve|reject <alert> --as <id> [--reason R] [-n NS]`.
 *
 * A decision always goes through the running Aegis server's approval API
 * (`POST /api/v1/alerts/<ns>/<name>/approve` or `…/reject`), at AEGIS_URL or --url (default
 * http://127.0.0.1:8080), with the bearer token AEGIS_API_TOKEN or --token. The server authenticates the token,
 * resolves groups and counts each token once; a Kubernetes identity cannot decide (a status patch is a report,
 * never a decision: docs/approvals.md).
 */
import type { AegisConfig } from '../config/index.js';
import { AegisError } from '../core/errors.js';

export type ApprovalDecisionKind = 'approve' | 'reject';

export interface ApprovalCommandFlags {
  as: string;
  reason?: string;
  namespace?: string;
  url?: string;
  token?: string;
}

export interface ApprovalCommandDefaults {
  /** AEGIS_URL: the Aegis server (default http://127.0.0.1:8080). */
  url?: string | undefined;
  /** The token of AEGIS_API_TOKEN's first entry (its `identity:` part left out). */
  token?: string | undefined;
  /** AEGIS_NAMESPACE: the namespace of the alert when -n is not given. */
  namespace: string;
}

export interface ApprovalCommandDependencies {
  print(text: string): void;
  timeoutMs?: number;
}

/** Where the CLI finds Aegis when AEGIS_URL is not set (the `aegis serve` default). */
export const defaultAegisUrl = 'http://127.0.0.1:8080';

/** Run one decision; resolves when it was recorded, throws an AegisError (exit code 1) when refused. */
export async function runApprovalCommand(
  decision: ApprovalDecisionKind,
  alert: string,
  flags: ApprovalCommandFlags,
  defaults: ApprovalCommandDefaults,
  dependencies: ApprovalCommandDependencies,
): Promise<void> {
  const namespace = flags.namespace ?? defaults.namespace;
  const { name, namespace: fromPath } = splitAlertName(alert);
  const alertNamespace = fromPath ?? namespace;
  const url = flags.url ?? defaults.url ?? defaultAegisUrl;
  await decideOverHttp(
    decision,
    { namespace: alertNamespace, name },
    flags,
    url === '' ? defaultAegisUrl : url,
    flags.token ?? defaults.token,
    dependencies,
  );
}

/** `monitoring/x` names the namespace too; a plain name uses -n (or AEGIS_NAMESPACE). */
function splitAlertName(alert: string): { name: string; namespace?: string } {
  const slash = alert.indexOf('/');
  if (slash <= 0) return { name: alert };
  return { namespace: alert.slice(0, slash), name: alert.slice(slash + 1) };
}

async function decideOverHttp(
  decision: ApprovalDecisionKind,
  reference: { namespace: string; name: string },
  flags: ApprovalCommandFlags,
  base: string,
  token: string | undefined,
  dependencies: ApprovalCommandDependencies,
): Promise<void> {
  const url = `${base.replace(/\/+$/, '')}/api/v1/alerts/${encodeURIComponent(reference.namespace)}/${encodeURIComponent(reference.name)}/${decision}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined && token !== '') headers['authorization'] = `Bearer ${token}`;
  const body = JSON.stringify({
    by: flags.as,
    via: 'cli',
    ...(flags.reason === undefined ? {} : { reason: flags.reason }),
  });
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(dependencies.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    throw new AegisError(
      'APPROVAL_UNREACHABLE',
      `cannot reach ${url}: ${error instanceof Error ? error.message : String(error)}${cause}`,
      { cause: error },
    );
  }
  const text = await response.text();
  const answer = parseJson(text);
  if (!response.ok) {
    const reason =
      typeof answer?.['error'] === 'string' ? answer['error'] : text.trim() || response.statusText;
    throw new AegisError('APPROVAL_REFUSED', `${decision} refused (HTTP ${response.status}): ${reason}`);
  }
  const state = typeof answer?.['state'] === 'string' ? answer['state'] : 'unknown';
  const changed = answer?.['changed'] !== false;
  const approvals = typeof answer?.['approvals'] === 'number' ? answer['approvals'] : 0;
  const minApprovals = typeof answer?.['minApprovals'] === 'number' ? answer['minApprovals'] : 1;
  const alert = `${reference.namespace}/${reference.name}`;
  const prefix = changed ? 'recorded' : 'already recorded';
  dependencies.print(
    state === 'Pending'
      ? `${prefix}: ${alert} has ${approvals} of ${minApprovals} approvals; still waiting\n`
      : `${prefix}: ${alert} is ${state}\n`,
  );
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Defaults from the configuration: AEGIS_URL, AEGIS_API_TOKEN (first entry's token), AEGIS_NAMESPACE. */
export function approvalDefaultsFrom(
  config: Pick<AegisConfig, 'aegisUrl' | 'namespace'> & { apiTokens?: readonly string[] | undefined },
): ApprovalCommandDefaults {
  const first = config.apiTokens?.[0];
  const colon = first?.indexOf(':') ?? -1;
  const token = first === undefined || colon < 0 ? first : first.slice(colon + 1);
  return { url: config.aegisUrl, token, namespace: config.namespace };
}
