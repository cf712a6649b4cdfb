/** A counting semaphore: at most `limit` holders at a time, the others wait in arrival order. */
export interface Semaphore {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Holders right now. */
  active(): number;
  /** Callers waiting for a slot. */
  waiting(): number;
}

export function createSemaphore(limit: number): Semaphore {
  const size = Math.max(1, Math.floor(limit));
  let holders = 0;
  const queue: (() => void)[] = [];
  const release = (): void => {
    const next = queue.shift();
    if (next === undefined) holders -= 1;
    else next();
  };
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (holders < size) holders += 1;
      else await new Promise<void>((resolve) => queue.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
    active: () => holders,
    waiting: () => queue.length,
  };
}
