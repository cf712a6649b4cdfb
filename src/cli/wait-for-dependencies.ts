import { AegisError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/** Something `aegis serve` cannot work without (Redis, the Kubernetes API server), and how to tell it is there. */
export interface Dependency {
  /** Readiness check name: `redis`, `kubernetes`. */
  readonly name: string;
  /** What it is and which setting points at it: `Redis at redis://... (REDIS_URL)`. */
  readonly description: string;
  /** Resolves when reachable; throws a one-line message that names the setting to fix. */
  probe(signal: AbortSignal): Promise<void>;
}

export interface DependencyWaitOptions {
  logger: Logger;
  /** Give up (STARTUP_TIMEOUT) after this long; unset waits until `signal` aborts. */
  timeoutMs?: number | undefined;
  /** Stop waiting (shutdown requested). */
  signal?: AbortSignal | undefined;
  /** First retry delay; doubles up to `maxRetryMs` (defaults 1 s and 10 s). */
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** A still-missing dependency is logged at once, then after 30 s, doubling up to 5 min (no log flood). */
  firstRepeatLogMs?: number;
  maxRepeatLogMs?: number;
  /** Bound on one probe (default 5 s). */
  probeTimeoutMs?: number;
  now?: () => number;
}

export interface DependencyWait {
  /** The last probe's message for a dependency still missing (undefined once it answered). */
  failure(name: string): string | undefined;
  /** Resolves when every dependency answered; rejects with STARTUP_TIMEOUT or when `signal` aborts. */
  readonly ready: Promise<void>;
}

/** Probe every dependency once, in parallel; the messages of those that failed. */
export async function probeDependencies(
  dependencies: readonly Dependency[],
  timeoutMs: number,
): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  await Promise.all(
    dependencies.map(async (dependency) => {
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          dependency.probe(controller.signal),
          new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => {
              controller.abort();
              reject(new Error(`${dependency.name}: no answer within ${timeoutMs} ms`));
            }, timeoutMs);
          }),
        ]);
      } catch (error) {
        failures.set(dependency.name, error instanceof Error ? error.message : String(error));
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return failures;
}

/**
 * Wait until Redis and the API server answer, the way a good citizen of a cluster does: the HTTP server is
 * already up (so `/healthz` answers and `/readyz` says what is missing), a missing dependency is logged once
 * with the setting to fix, then again at growing intervals, and the probes themselves back off.
 */
export function waitForDependencies(
  dependencies: readonly Dependency[],
  options: DependencyWaitOptions,
): DependencyWait {
  const now = options.now ?? Date.now;
  const started = now();
  let failures = new Map<string, string>([...dependencies].map((d) => [d.name, 'not checked yet']));
  const lastLogged = new Map<string, { at: number; everyMs: number }>();
  const firstRepeat = options.firstRepeatLogMs ?? 30_000;
  const maxRepeat = options.maxRepeatLogMs ?? 300_000;

  const report = (): void => {
    const at = now();
    for (const [name, message] of failures) {
      const last = lastLogged.get(name);
      if (last !== undefined && at - last.at < last.everyMs) continue;
      const waited = Math.round((at - started) / 1_000);
      options.logger.error(
        { dependency: name, waitedSeconds: waited },
        last === undefined ? `${message}; waiting for it` : `${message}; still waiting (${waited} s)`,
      );
      lastLogged.set(name, {
        at,
        everyMs: last === undefined ? firstRepeat : Math.min(last.everyMs * 2, maxRepeat),
      });
    }
    for (const name of lastLogged.keys()) {
      if (failures.has(name)) continue;
      options.logger.info({ dependency: name }, `${name} is reachable now`);
      lastLogged.delete(name);
    }
  };

  const ready = (async () => {
    let delay = options.firstRetryMs ?? 1_000;
    for (;;) {
      failures = await probeDependencies(dependencies, options.probeTimeoutMs ?? 5_000);
      report();
      if (failures.size === 0) return;
      if (options.timeoutMs !== undefined && now() - started >= options.timeoutMs) {
        throw new AegisError(
          'STARTUP_TIMEOUT',
          `gave up after AEGIS_STARTUP_TIMEOUT (${Math.round(options.timeoutMs / 1_000)} s): ${[...failures.values()].join('; ')}`,
        );
      }
      const remaining = options.timeoutMs === undefined ? delay : options.timeoutMs - (now() - started);
      await sleep(Math.max(0, Math.min(delay, remaining)), options.signal);
      delay = Math.min(delay * 2, options.maxRetryMs ?? 10_000);
    }
  })();
  return {
    ready,
    failure: (name) => failures.get(name),
  };
}

async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted === true)
    throw new AegisError('SHUTTING_DOWN', 'stopped while waiting for dependencies');
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AegisError('SHUTTING_DOWN', 'stopped while waiting for dependencies'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
