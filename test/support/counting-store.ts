import type { AlertStore } from '../../src/controller/ingest/index.js';

export interface WriteCounts {
  create: number;
  patchStatus: number;
  patchLabels: number;
  delete: number;
  reads: number;
}

/** The store with a tally of the calls made through it (writes by kind, reads together). */
export function countingStore(store: AlertStore): {
  store: AlertStore;
  counts: WriteCounts;
  writes(): number;
} {
  const counts: WriteCounts = { create: 0, patchStatus: 0, patchLabels: 0, delete: 0, reads: 0 };
  const counted: AlertStore = {
    listByFingerprint: async (...args) => {
      counts.reads += 1;
      return await store.listByFingerprint(...args);
    },
    list: async (...args) => {
      counts.reads += 1;
      return await store.list(...args);
    },
    get: async (...args) => {
      counts.reads += 1;
      return await store.get(...args);
    },
    getPodNode: async (...args) => {
      counts.reads += 1;
      return await store.getPodNode(...args);
    },
    create: async (...args) => {
      counts.create += 1;
      return await store.create(...args);
    },
    patchStatus: async (...args) => {
      counts.patchStatus += 1;
      return await store.patchStatus(...args);
    },
    patchLabels: async (...args) => {
      counts.patchLabels += 1;
      return await store.patchLabels(...args);
    },
    delete: async (...args) => {
      counts.delete += 1;
      return await store.delete(...args);
    },
  };
  return {
    store: counted,
    counts,
    writes: () => counts.create + counts.patchStatus + counts.patchLabels + counts.delete,
  };
}
