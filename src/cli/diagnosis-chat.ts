/**
 * `/aegis diagnose` as `aegis serve` wires it: creates the AegisDiagnosis (in AEGIS_NAMESPACE), and posts the
 * rendered summary in the channel the command came from once the diagnosis completed or failed. The wait runs
 * in the background (bounded by AEGIS_DIAGNOSIS_TIMEOUT_MS plus a margin), so the slash command is acked at once.
 */
import { createSlackClient, renderDiagnosis, type DiagnosisView, type SlackClient } from '../bot/index.js';
import type { InboundDiagnoses } from '../bot/inbound/index.js';
import type { AegisConfig } from '../config/index.js';
import {
  describeTarget,
  parseTargetKind,
  requestDiagnosis,
  targetOf,
  waitForDiagnosis,
} from '../controller/diagnosis/index.js';
import type { Logger } from '../core/logger.js';
import type { AegisDiagnosis } from '../core/resources/index.js';
import type { KubeClients } from '../kube/index.js';
import { diagnosisClientFrom } from './diagnose-command.js';

export interface DiagnosisChat {
  readonly commands: InboundDiagnoses;
  close(): Promise<void>;
}

/** The summary view of an AegisDiagnosis for renderDiagnosis. */
export function diagnosisView(diagnosis: AegisDiagnosis): DiagnosisView {
  const status = diagnosis.status;
  return {
    reference: `${diagnosis.metadata.namespace ?? ''}/${diagnosis.metadata.name ?? ''}`,
    object: describeTarget(targetOf(diagnosis)),
    phase: status?.phase ?? 'Pending',
    ...(status?.result?.status === undefined ? {} : { verdict: status.result.status }),
    failures: status?.result?.failures ?? [],
    warnings: status?.result?.warnings ?? [],
    ...(status?.explain === undefined ? {} : { explain: status.explain }),
    ...(status?.errorResult === undefined ? {} : { error: status.errorResult }),
  };
}

export function createDiagnosisChat(
  config: AegisConfig,
  dependencies: { kubeClients: KubeClients; logger: Logger; botToken: string; channel: string },
): DiagnosisChat {
  const slack: SlackClient = createSlackClient({
    token: dependencies.botToken,
    ...(config.slackApiUrl === undefined ? {} : { apiUrl: config.slackApiUrl }),
    logger: dependencies.logger,
  });
  const store = diagnosisClientFrom(dependencies.kubeClients);
  const namespace = config.namespace;
  const pending = new Set<Promise<void>>();
  const stopping = new AbortController();
  const postSummary = async (name: string, where: string): Promise<void> => {
    const done = await waitForDiagnosis(store, namespace, name, {
      timeoutMs: config.diagnosisTimeoutMs + 30_000,
      pollMs: 1_000,
      signal: stopping.signal,
    });
    if (stopping.signal.aborted) return;
    const message = renderDiagnosis(diagnosisView(done));
    await slack.postMessage({ channel: where, message });
  };
  return {
    commands: {
      async diagnose(request) {
        const created = await requestDiagnosis(store, {
          kind: parseTargetKind(request.kind),
          name: request.name,
          ...(request.namespace === undefined ? {} : { objectNamespace: request.namespace }),
          namespace,
          requestedBy: `slack:${request.user}`,
        });
        const name = created.metadata.name ?? '';
        const where = request.channel ?? dependencies.channel;
        const job = postSummary(name, where)
          .catch((error: unknown) =>
            dependencies.logger.warn({ err: error, diagnosis: name }, 'could not post the diagnosis summary'),
          )
          .finally(() => pending.delete(job));
        pending.add(job);
        return `${created.metadata.namespace ?? namespace}/${name}`;
      },
    },
    async close() {
      // Summaries still awaited are not posted (the diagnosis itself finishes and stays visible with kubectl).
      stopping.abort();
      await Promise.allSettled([...pending]);
    },
  };
}
