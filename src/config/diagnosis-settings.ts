import type { SettingDefinition } from './setting-definition.js';
import { requiredSetting } from './setting-definition.js';
import { choiceValue, durationValue, integerValue, listValue, textValue } from './value-kinds.js';

export const onOff = ['false', 'true'] as const;

/** AegisDiagnosis: how much is collected, the optional collector pod, and the language of the summary. */
export const diagnosisSettings = {
  diagnosisConcurrency: requiredSetting({
    env: 'AEGIS_DIAGNOSIS_CONCURRENCY',
    value: integerValue(1, 256),
    default: 8,
    description: 'Diagnoses each process runs at once (collect, analyse, summarise), in their own queue.',
  }),
  diagnosisTimeoutMs: requiredSetting({
    env: 'AEGIS_DIAGNOSIS_TIMEOUT',
    value: durationValue(1_000, 3_600_000),
    default: 300_000,
    defaultText: '5m',
    description:
      'How long a diagnosis may take when its `spec.timeout` is unset; then it fails with the reason.',
  }),
  diagnosisTtlMs: requiredSetting({
    env: 'AEGIS_DIAGNOSIS_TTL',
    value: durationValue(0, 365 * 86_400_000),
    default: 604_800_000,
    defaultText: '7d',
    description:
      'Default `spec.ttlStrategy.secondsAfterCompletion`: a finished diagnosis is deleted this long after it was created (as upstream).',
  }),
  diagnosisLogKeywords: requiredSetting({
    env: 'AEGIS_DIAGNOSIS_LOG_KEYWORDS',
    value: listValue(),
    default: [
      'error',
      'fail',
      'exception',
      'traceback',
      'fatal',
      'panic',
      'killed',
      'oom',
      'nccl',
      'cuda',
      'xid',
    ],
    defaultText: 'error,fail,exception,traceback,fatal,panic,killed,oom,nccl,cuda,xid',
    description:
      'Log lines containing one of these (case-insensitive) are kept first when a container log is cut to its budget.',
  }),
  diagnosisLogFetchLines: requiredSetting({
    env: 'AEGIS_DIAGNOSIS_LOG_FETCH_LINES',
    value: integerValue(1, 100_000),
    default: 1_000,
    description: 'Last lines fetched per container log (current and previous), at most 1 MiB.',
  }),
  diagnosisLogMaxLines: requiredSetting({
    env: 'AEGIS_DIAGNOSIS_LOG_MAX_LINES',
    value: integerValue(1, 1_000),
    default: 60,
    description: 'Lines kept per container log after the keyword filter.',
  }),
  diagnosisCollector: requiredSetting({
    env: 'AEGIS_DIAGNOSIS_COLLECTOR',
    value: choiceValue(onOff),
    default: 'false',
    description:
      'Whether a Node diagnosis runs a collector pod pinned to the node (kernel messages, GPU state, kubelet errors).',
  }),
  diagnosisCollectorImage: requiredSetting({
    env: 'AEGIS_DIAGNOSIS_COLLECTOR_IMAGE',
    value: textValue(),
    default: 'ubuntu:22.04',
    description: 'Image of the collector pod (it needs bash and nsenter; nvidia-smi is read from the host).',
  }),
  diagnosisCollectorCommand: requiredSetting({
    env: 'AEGIS_DIAGNOSIS_COLLECTOR_COMMAND',
    value: textValue(),
    default: 'builtin',
    description:
      'Shell script the collector pod runs; `builtin` prints `[kernel]`, `[gpu]` and `[kubelet]` sections from the host.',
  }),
  language: requiredSetting({
    env: 'AEGIS_LANGUAGE',
    value: textValue(),
    default: 'English',
    description: 'Language of diagnosis summaries when the AegisDiagnosis sets no `spec.language`.',
  }),
} satisfies Record<string, SettingDefinition<unknown>>;
