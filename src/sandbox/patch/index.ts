/** Patch engines for the sandbox API server's PATCH handler. */
export { PatchError, type PatchErrorStatus } from './patch-error.js';
export { applyMergePatch } from './merge-patch.js';
export { applyJsonPatch, maxJsonPatchOperations } from './json-patch.js';
export { applyStrategicMergePatch } from './strategic-merge.js';
