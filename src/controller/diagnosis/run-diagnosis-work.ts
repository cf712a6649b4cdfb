/**
 * One diagnosis, run in the work queue: `Diagnosing` (with startTime) is written first, then the facts are
 * collected and analysed within `spec.timeout`, the summary written, and `Completed` (with the result) or
 * `Failed` (with the reason) written last. A missing object completes with result Unknown.
 */
import { parseDurationMs } from '../../core/approvals/index.js';
import { diagnoseFacts, explainFindings, resultOf } from '../../core/diagnosis/index.js';
import type { DiagnosisCluster, DiagnosisOutcome } from '../../core/diagnosis/index.js';
import { AegisError, isAegisError } from '../../core/errors.js';
import type { AegisDiagnosis } from '../../core/resources/index.js';
import { reconcileDone } from '../runtime/index.js';
import type { ReconcileFunction } from '../runtime/index.js';
import { collectFacts } from './collect-facts.js';
import type { CollectorPodSettings, LogBudget } from './collect-options.js';
import type { DiagnosisEventRecorder, DiagnosisExplainer, DiagnosisStore } from './diagnosis-ports.js';
import { describeTarget, targetOf } from './diagnosis-target.js';

export interface DiagnosisWorkDependencies {
  readonly store: DiagnosisStore;
  readonly cluster: DiagnosisCluster;
  readonly events: DiagnosisEventRecorder;
  readonly explainer?: DiagnosisExplainer;
  readonly logs: LogBudget;
  /** Image and command of the collector pod; Node diagnoses run none when omitted. */
  readonly collectorPod?: Pick<CollectorPodSettings, 'image' | 'command' | 'pollMs'>;
  readonly defaultTimeoutMs: number;
  readonly language: string;
  readonly now: () => Date;
  /** Told about every finished diagnosis (e.g. to post it in Slack). */
  readonly onFinished?: (diagnosis: AegisDiagnosis) => void;
}

/** Transient failures (the API server unreachable) are retried this often before the diagnosis fails. */
const attemptsBeforeFailing = 3;

export function createDiagnosisWork(dependencies: DiagnosisWorkDependencies): ReconcileFunction {
  const { store, now } = dependencies;
  return async (key, context) => {
    let diagnosis = await store.get(key.namespace, key.name);
    if (diagnosis === undefined || diagnosis.metadata.deletionTimestamp !== undefined) return reconcileDone;
    const phase = diagnosis.status?.phase;
    if (phase === 'Completed' || phase === 'Failed') return reconcileDone;

    const timeoutMs = timeoutOf(diagnosis, dependencies.defaultTimeoutMs);
    const startTime =
      phase === 'Diagnosing' && diagnosis.status?.startTime !== undefined
        ? diagnosis.status.startTime
        : now().toISOString();
    if (phase !== 'Diagnosing') {
      diagnosis = await store.patchStatus(key.namespace, key.name, { phase: 'Diagnosing', startTime });
    }
    // A run resumed after a crash keeps the deadline of the first one.
    const remainingMs = Math.max(0, Date.parse(startTime) + timeoutMs - now().getTime());
    const target = targetOf(diagnosis);
    const subject = {
      apiVersion: diagnosis.apiVersion,
      kind: diagnosis.kind,
      name: key.name,
      namespace: key.namespace,
      ...(diagnosis.metadata.uid === undefined ? {} : { uid: diagnosis.metadata.uid }),
    };

    const abort = new AbortController();
    const onOuterAbort = (): void => abort.abort();
    context.signal.addEventListener('abort', onOuterAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(
          new AegisError(
            'DIAGNOSIS_TIMEOUT',
            `the diagnosis of ${describeTarget(target)} did not finish within ${Math.round(timeoutMs / 1000)}s (spec.timeout)`,
          ),
        );
      }, remainingMs);
    });
    try {
      const work = async (): Promise<{ outcome: DiagnosisOutcome; explain: string }> => {
        const owner =
          diagnosis.metadata.uid === undefined
            ? {}
            : {
                owner: {
                  apiVersion: diagnosis.apiVersion,
                  kind: diagnosis.kind,
                  name: key.name,
                  uid: diagnosis.metadata.uid,
                },
              };
        const facts = await collectFacts(dependencies.cluster, target, {
          logs: dependencies.logs,
          signal: abort.signal,
          ...(dependencies.collectorPod === undefined
            ? {}
            : { collectorPod: { ...dependencies.collectorPod, namespace: key.namespace, ...owner } }),
        });
        const outcome = diagnoseFacts(facts);
        const language = diagnosis.spec.language ?? dependencies.language;
        const explain =
          dependencies.explainer === undefined || outcome.verdict === 'Unknown'
            ? explainFindings(outcome)
            : await dependencies.explainer.explain({
                target,
                facts,
                outcome,
                language,
                signal: abort.signal,
              });
        return { outcome, explain };
      };
      const { outcome, explain } = await Promise.race([work(), timedOut]);
      const finished = await store.patchStatus(key.namespace, key.name, {
        phase: 'Completed',
        result: resultOf(outcome),
        explain,
        completionTime: now().toISOString(),
        observedGeneration: diagnosis.metadata.generation,
      });
      await dependencies.events
        .record(subject, {
          type: 'Normal',
          reason: 'Succeeded',
          message: `Diagnosis of ${describeTarget(target)} completed: ${outcome.verdict}`,
        })
        .catch((error: unknown) => context.logger.warn({ err: error }, 'cannot record the diagnosis event'));
      dependencies.onFinished?.(finished);
      return reconcileDone;
    } catch (error) {
      const retryable = isAegisError(error) ? error.retryable : false;
      if (retryable && context.attempt < attemptsBeforeFailing && !abort.signal.aborted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      context.logger.warn({ err: error, target: describeTarget(target) }, 'diagnosis failed');
      const finished = await store.patchStatus(key.namespace, key.name, {
        phase: 'Failed',
        errorResult: `Diagnosis failed: ${reason}`,
        completionTime: now().toISOString(),
        observedGeneration: diagnosis.metadata.generation,
      });
      await dependencies.events
        .record(subject, {
          type: 'Warning',
          reason: 'Failed',
          message: `Diagnosis of ${describeTarget(target)} failed: ${reason}`.slice(0, 1_000),
        })
        .catch((recordError: unknown) =>
          context.logger.warn({ err: recordError }, 'cannot record the diagnosis event'),
        );
      dependencies.onFinished?.(finished);
      return reconcileDone;
    } finally {
      clearTimeout(timer);
      context.signal.removeEventListener('abort', onOuterAbort);
      timedOut.catch(() => undefined);
    }
  };
}

function timeoutOf(diagnosis: AegisDiagnosis, defaultMs: number): number {
  const text = diagnosis.spec.timeout;
  const ms = text === undefined ? undefined : parseDurationMs(text);
  return ms === undefined || ms <= 0 ? defaultMs : ms;
}
