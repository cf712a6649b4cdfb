/**
 * Tries the deterministic recognisers in order (most specific first) and returns the first that claims the
 * payload. Alertmanager and the custom format are recognised by the `/ai/alert` route itself before the parser
 * is called.
 */
import type { RecognisedPayload } from './build-alert.js';
import { recogniseDatadog } from './datadog-format.js';
import { recogniseGeneric } from './generic-format.js';
import { recogniseGrafana } from './grafana-format.js';
import { recogniseKubernetesEvent } from './kubernetes-event-format.js';
import { recogniseZabbix } from './zabbix-format.js';

export const recognisers: readonly ((body: unknown) => RecognisedPayload | undefined)[] = [
  recogniseGrafana,
  recogniseKubernetesEvent,
  recogniseDatadog,
  recogniseZabbix,
  recogniseGeneric,
];

export function recognisePayload(body: unknown): RecognisedPayload | undefined {
  for (const recognise of recognisers) {
    const result = recognise(body);
    if (result !== undefined) return result;
  }
  return undefined;
}
