import { describe, expect, it } from 'vitest';
import { AegisError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import type { TemplateStatusStore, TemplateView } from '../../core/ports/index.js';
import { createTemplateCounterWriter } from './template-counters.js';

/** A template store with one template, a resourceVersion guard and a count of its calls. */
function fakeStore(
  delayMs = 5,
): TemplateStatusStore & { gets: number; patches: number; template: TemplateView } {
  let resourceVersion = 1;
  const store = {
    gets: 0,
    patches: 0,
    template: {
      metadata: { name: 't', namespace: 'monitoring', uid: 'tu' },
      status: { executeStatus: { succeeded: 0, failed: 0 } },
    } as TemplateView,
    async get() {
      store.gets += 1;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return {
        ...store.template,
        metadata: { ...store.template.metadata, resourceVersion: String(resourceVersion) },
      };
    },
    async patchStatus(
      _namespace: string,
      _name: string,
      status: Partial<TemplateView['status']>,
      version?: string,
    ) {
      store.patches += 1;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (version !== String(resourceVersion))
        throw new AegisError('KUBE_CONFLICT', 'conflict', { retryable: true });
      resourceVersion += 1;
      store.template = { ...store.template, status: { ...store.template.status, ...status } };
    },
  };
  return store as unknown as TemplateStatusStore & { gets: number; patches: number; template: TemplateView };
}

describe('template counter writer', () => {
  it('folds concurrent outcomes of one template into few writes and never lowers a counter', async () => {
    const store = fakeStore();
    const writer = createTemplateCounterWriter(store);
    const reference = { namespace: 'monitoring', name: 't' };
    await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        writer.write(reference, { succeeded: index + 1, failed: 0 }, silentLogger),
      ),
    );
    expect(store.template.status?.executeStatus).toEqual({ succeeded: 50, failed: 0 });
    expect(store.patches).toBeLessThanOrEqual(3);
    await writer.write(reference, { succeeded: 10, failed: 1 }, silentLogger);
    expect(store.template.status?.executeStatus).toEqual({ succeeded: 50, failed: 1 });
  });
});
