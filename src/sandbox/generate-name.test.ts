import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { builtinResourceTypes } from './resource-type.js';
import { ObjectStore } from './object-store.js';
import { ResourceRegistry } from './registry.js';
import { SandboxApi } from './sandbox-api.js';

/** A sandbox whose name generator draws from `draws` (each a number in [0, 1)), cycling. */
function sandboxDrawing(draws: number[]): SandboxApi {
  let next = 0;
  const random = (): number => draws[next++ % draws.length] ?? 0;
  const api = new SandboxApi(
    new ObjectStore(),
    new ResourceRegistry(builtinResourceTypes()),
    { now: () => new Date('2026-11-23T00:00:00Z') },
    random,
  );
  api.create(api.resolve('', 'v1', 'namespaces'), undefined, { metadata: { name: 'default' } });
  return api;
}

const sameFive = (value: number): number[] => [value, value, value, value, value];

describe('generateName', () => {
  it('draws again when the generated name is taken (kube-apiserver 1.32 RetryGenerateName)', () => {
    // First object: five draws of 0 → "gen-bbbbb"; the second create draws that again, then five of 0.5.
    const api = sandboxDrawing([...sameFive(0), ...sameFive(0), ...sameFive(0.5)]);
    const configMaps = api.resolve('', 'v1', 'configmaps');
    const first = api.create(configMaps, 'default', { metadata: { generateName: 'gen-' } });
    const second = api.create(configMaps, 'default', { metadata: { generateName: 'gen-' } });
    expect(first.metadata.name).toBe('gen-bbbbb');
    expect(second.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(second.metadata.name).not.toBe(first.metadata.name);
  });

  it('fails with AlreadyExists when every draw is taken', () => {
    const api = sandboxDrawing(sameFive(0));
    const configMaps = api.resolve('', 'v1', 'configmaps');
    api.create(configMaps, 'default', { metadata: { generateName: 'gen-' } });
    let failure: unknown;
    try {
      api.create(configMaps, 'default', { metadata: { generateName: 'gen-' } });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe(409);
  });
});
