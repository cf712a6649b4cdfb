/**
 * The port everyone who reads or writes AegisSilences uses (the Slack commands, the notifier, the alert
 * reconciler); `src/kube/aegis-silence-store.ts` implements it with @kubernetes/client-node.
 */
import type { AegisSilence, AegisSilenceSpec } from '../resources/index.js';

export interface SilenceStore {
  /** Every silence in the Aegis namespace, expired ones included (callers filter with `silenceInForce`). */
  list(): Promise<AegisSilence[]>;
  /** Create a silence (`generateName: silence-`); resolves with the created object and its name. */
  create(spec: AegisSilenceSpec): Promise<AegisSilence>;
  /** Delete a silence by name; false when it did not exist. */
  delete(name: string): Promise<boolean>;
}
