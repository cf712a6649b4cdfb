import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Alert } from '../../../core/alerts/index.js';
import type { RecognisedPayload } from './build-alert.js';

/** A sample payload from examples/alerts/. */
export function samplePayload(name: string): unknown {
  return JSON.parse(
    readFileSync(fileURLToPath(new URL(`../../../../examples/alerts/${name}`, import.meta.url)), 'utf8'),
  );
}

/** The alerts of a recognised payload; fails the test when any alert was refused. */
export function alertsOf(result: RecognisedPayload | undefined): Alert[] {
  if (result === undefined) throw new Error('payload not recognised');
  return result.results.map((item) => {
    if (!('alert' in item)) throw new Error(`refused: ${item.path} ${item.reason}`);
    return item.alert;
  });
}
