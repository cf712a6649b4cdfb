/**
 * Create an AegisDiagnosis for an object and wait for it: what `aegis diagnose`, `/aegis diagnose` and rules
 * with `diagnose: true` share.
 */
import { AegisError } from '../../core/errors.js';
import type { AegisDiagnosis } from '../../core/resources/index.js';
import type { TargetKind } from './diagnosis-target.js';

export interface DiagnosisRequestStore {
  create(namespace: string, body: unknown): Promise<AegisDiagnosis>;
  get(namespace: string, name: string): Promise<AegisDiagnosis | undefined>;
}

const kindWords: Readonly<Record<string, TargetKind>> = {
  node: 'Node',
  nodes: 'Node',
  no: 'Node',
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
  pytorchjob: 'PyTorchJob',
  pytorchjobs: 'PyTorchJob',
  workflow: 'Workflow',
  workflows: 'Workflow',
  wf: 'Workflow',
};

/** `node`, `Pod`, `pytorchjob`, `wf`, … → the CRD's kind; a clear error for anything else. */
export function parseTargetKind(word: string): TargetKind {
  const kind = kindWords[word.toLowerCase()];
  if (kind === undefined) {
    throw new AegisError(
      'DIAGNOSIS_KIND_UNKNOWN',
      `cannot diagnose "${word}": use node, pod, pytorchjob or workflow`,
      {
        userMessage: `cannot diagnose "${word}": use node, pod, pytorchjob or workflow`,
      },
    );
  }
  return kind;
}

export interface DiagnosisRequest {
  readonly kind: TargetKind;
  readonly name: string;
  /** Namespace of the object (ignored for a Node). */
  readonly objectNamespace?: string;
  /** Where the AegisDiagnosis is created. */
  readonly namespace: string;
  readonly requestedBy: string;
  readonly language?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export async function requestDiagnosis(
  store: DiagnosisRequestStore,
  request: DiagnosisRequest,
): Promise<AegisDiagnosis> {
  if (request.name.trim() === '')
    throw new AegisError('DIAGNOSIS_NAME_MISSING', 'name the object to diagnose', {
      userMessage: 'name the object to diagnose',
    });
  const base = `diag-${request.kind.toLowerCase()}-${request.name}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 50)
    .replace(/-+$/, '');
  return await store.create(request.namespace, {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisDiagnosis',
    metadata: {
      generateName: `${base}-`,
      labels: {
        'aegis.io/requested-by': request.requestedBy
          .toLowerCase()
          .replace(/[^a-z0-9._-]/g, '-')
          .slice(0, 63),
        ...request.labels,
      },
    },
    spec: {
      object: {
        kind: request.kind,
        name: request.name,
        ...(request.kind === 'Node' ? {} : { namespace: request.objectNamespace ?? 'default' }),
      },
      ...(request.language === undefined ? {} : { language: request.language }),
    },
  });
}

/** Poll until the diagnosis is Completed or Failed; throws after `timeoutMs`. */
export async function waitForDiagnosis(
  store: Pick<DiagnosisRequestStore, 'get'>,
  namespace: string,
  name: string,
  options: { timeoutMs: number; pollMs?: number; onPhase?: (phase: string) => void; signal?: AbortSignal },
): Promise<AegisDiagnosis> {
  const deadline = Date.now() + options.timeoutMs;
  let last: string | undefined;
  for (;;) {
    const current = await store.get(namespace, name);
    if (current === undefined)
      throw new AegisError('DIAGNOSIS_GONE', `AegisDiagnosis ${namespace}/${name} was deleted`);
    const phase = current.status?.phase ?? 'Pending';
    if (phase !== last) options.onPhase?.(phase);
    last = phase;
    if (phase === 'Completed' || phase === 'Failed') return current;
    if (Date.now() > deadline) {
      throw new AegisError(
        'DIAGNOSIS_WAIT_TIMEOUT',
        `AegisDiagnosis ${namespace}/${name} is still ${phase} after ${Math.round(options.timeoutMs / 1000)}s`,
      );
    }
    if (options.signal?.aborted === true)
      throw new AegisError(
        'DIAGNOSIS_WAIT_ABORTED',
        `stopped waiting for AegisDiagnosis ${namespace}/${name}`,
      );
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
}
