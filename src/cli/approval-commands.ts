/**
 * `aegis approve|reject <alert> --as <id> [--reason R] [-n NS]`.
 *
 * With AEGIS_URL (or --url) set, the decision goes to the running Aegis server's approval API
 * (`POST /api/v1/alerts/<ns>/<name>/approve|reject`, bearer token AEGIS_API_TOKEN or --token). Otherwise the CLI
 * decides itself, straight against the Kubernetes API with the kubeconfig (KUBECONFIG, ~/.kube/config, or the
 * sandbox kubeconfig a running `aegis serve` wrote), through the same approval service the server uses; there
 * Kubernetes RBAC (`patch` on `aegisalerts/status`) is what guards the decision.
 */
import { existsSync } from 'node:fs';
import type { AegisConfig } from '../config/index.js';
import {
  createApprovalService,
  type ApprovalOutcome,
  type ApprovalService,
} from '../controller/approvals/index.js';
import { AegisError } from '../core/errors.js';
import type { AlertApproval } from '../core/resources/index.js';
import {
  createAegisAlertStore,
  createEventRecorder,
  createKubeClients,
  resolveKubeTarget,
  sandboxKubeconfigPath,
} from '../kube/index.js';

export type ApprovalDecisionKind = 'approve' | 'reject';

export interface ApprovalCommandFlags {
  as: string;
  reason?: string;
  namespace?: string;
  url?: string;
  token?: string;
}

export interface ApprovalCommandDefaults {
  /** AEGIS_URL: when set, the decision goes through the server. */
  url?: string | undefined;
  /** AEGIS_API_TOKEN (the first, when several are configured for rotation). */
  token?: string | undefined;
  /** AEGIS_NAMESPACE: the namespace of the alert when -n is not given. */
  namespace: string;
}

export interface ApprovalCommandDependencies {
  print(text: string): void;
  /** The approval service for direct mode (no AEGIS_URL), talking to Kubernetes. */
  directService(): ApprovalService | Promise<ApprovalService>;
  timeoutMs?: number;
}

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
  const url = flags.url ?? defaults.url;
  if (url !== undefined && url !== '') {
    await decideOverHttp(
      decision,
      { namespace: alertNamespace, name },
      flags,
      url,
      flags.token ?? defaults.token,
      dependencies,
    );
    return;
  }
  const service = await dependencies.directService();
  const reference = { namespace: alertNamespace, name };
  const actor = { id: flags.as };
  const outcome =
    decision === 'approve'
      ? await service.approve(reference, actor, 'cli', flags.reason)
      : await service.reject(reference, actor, 'cli', flags.reason);
  report(decision, `${alertNamespace}/${name}`, outcome, dependencies);
}

/** `monitoring/x` names the namespace too; a plain name uses -n (or AEGIS_NAMESPACE). */
function splitAlertName(alert: string): { name: string; namespace?: string } {
  const slash = alert.indexOf('/');
  if (slash <= 0) return { name: alert };
  return { namespace: alert.slice(0, slash), name: alert.slice(slash + 1) };
}

function report(
  decision: ApprovalDecisionKind,
  alert: string,
  outcome: ApprovalOutcome,
  dependencies: Pick<ApprovalCommandDependencies, 'print'>,
): void {
  if (!outcome.ok)
    throw new AegisError('APPROVAL_REFUSED', `${decision} refused (${outcome.code}): ${outcome.message}`);
  dependencies.print(`${describeApproval(alert, outcome.approval, outcome.changed)}\n`);
}

function describeApproval(alert: string, approval: AlertApproval, changed: boolean): string {
  const approvals = new Set(
    (approval.history ?? []).filter((entry) => entry.decision === 'Approved').map((entry) => entry.by),
  ).size;
  const prefix = changed ? 'recorded' : 'already recorded';
  if (approval.state === 'Pending')
    return `${prefix}: ${alert} has ${approvals} of ${approval.minApprovals ?? 1} approvals; still waiting`;
  return `${prefix}: ${alert} is ${approval.state}`;
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

/** Defaults from the configuration: AEGIS_URL, AEGIS_API_TOKEN (first of the list), AEGIS_NAMESPACE. */
export function approvalDefaultsFrom(
  config: Pick<AegisConfig, 'aegisUrl' | 'namespace'> & { apiTokens?: readonly string[] | undefined },
): ApprovalCommandDefaults {
  return { url: config.aegisUrl, token: config.apiTokens?.[0], namespace: config.namespace };
}

/**
 * The approval service of direct mode: the kubeconfig as `aegis serve` would choose it; when that is the
 * sandbox, the kubeconfig a running sandbox wrote (`<AEGIS_STATE_DIR>/sandbox.kubeconfig`).
 */
export function createDirectApprovalService(
  config: Pick<
    AegisConfig,
    'sandbox' | 'kubeconfig' | 'stateDir' | 'kubernetesServiceHost' | 'kubernetesServicePort' | 'namespace'
  >,
): ApprovalService {
  const target = resolveKubeTarget(config);
  let clients;
  if (target.mode === 'kubeconfig') clients = createKubeClients({ paths: target.paths });
  else if (target.mode === 'in-cluster') clients = createKubeClients({ inCluster: target });
  else {
    const sandboxFile = sandboxKubeconfigPath(config.stateDir);
    if (!existsSync(sandboxFile)) {
      throw new AegisError(
        'APPROVAL_NO_CLUSTER',
        `no Kubernetes access (no kubeconfig, no running sandbox at ${sandboxFile}); set KUBECONFIG, or AEGIS_URL to decide through a running Aegis`,
      );
    }
    clients = createKubeClients({ paths: [sandboxFile] });
  }
  return createApprovalService({
    store: createAegisAlertStore(clients),
    events: createEventRecorder(clients, { component: 'aegis-cli' }),
    clock: () => new Date(),
    namespace: config.namespace,
  });
}
