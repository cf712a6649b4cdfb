import YAML from 'yaml';
import { ApiError, apiErrors } from './api-error.js';
import { PatchError, applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patch/index.js';
import { groupVersion, type ResourceType } from './resource-type.js';
import type { KubeObject } from './types.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const contentTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

/** The patch type a Content-Type names, or a 415 like the real server's. */
export function patchTypeOf(contentType: string | undefined, type: ResourceType): PatchType {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const patchType = contentTypes[media];
  const accepted = type.strategicMerge
    ? 'application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml'
    : 'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';
  if (patchType === undefined || (patchType === 'strategic' && !type.strategicMerge)) {
    throw apiErrors.unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${accepted}`);
  }
  return patchType;
}

/** Parse a patch body: JSON for every type, YAML also accepted for apply. */
export function parsePatchBody(raw: string, patchType: PatchType): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    if (patchType === 'apply') {
      try {
        return YAML.parse(raw) as unknown;
      } catch {
        // report the JSON error below
      }
    }
    throw apiErrors.badRequest(`error decoding patch: ${(error as Error).message}`);
  }
}

/** Apply a parsed patch to the current object. Server-side apply is approximated by a merge patch. */
export function computePatch(type: ResourceType, current: KubeObject, patchType: PatchType, patch: unknown): unknown {
  try {
    switch (patchType) {
      case 'json':
        return applyJsonPatch(current, patch);
      case 'merge':
        return applyMergePatch(current, patch);
      case 'strategic':
        return applyStrategicMergePatch(current, patch, type.kind);
      case 'apply': {
        if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw apiErrors.badRequest('apply patch must be an object');
        const body = patch as KubeObject;
        if (body.apiVersion !== undefined && body.apiVersion !== groupVersion(type)) {
          throw apiErrors.badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${groupVersion(type)})`);
        }
        return applyMergePatch(current, patch);
      }
    }
  } catch (error) {
    if (error instanceof PatchError) throw new ApiError(error.status, reasonFor(error.status), error.message);
    throw error;
  }
}

function reasonFor(status: number): string {
  if (status === 413) return 'RequestEntityTooLarge';
  if (status === 422) return 'Invalid';
  return 'BadRequest';
}
