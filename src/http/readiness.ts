/** One thing that must work for Aegis to take traffic (Redis, the API server, ...). */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolve when healthy, throw with the reason otherwise. Stop early when `signal` aborts (timeout). */
  run(signal: AbortSignal): Promise<void>;
}

export interface CheckOutcome {
  name: string;
  status: 'ok' | 'failed';
  durationMs: number;
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: CheckOutcome[];
}

/** Run every check at once, each bounded by `timeoutMs`; a check that throws or times out fails with why. */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
  now: () => number = Date.now,
): Promise<ReadinessReport> {
  const outcomes = await Promise.all(checks.map(async (check) => await runOne(check, timeoutMs, now)));
  return { ready: outcomes.every((outcome) => outcome.status === 'ok'), checks: outcomes };
}

async function runOne(check: ReadinessCheck, timeoutMs: number, now: () => number): Promise<CheckOutcome> {
  const started = now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([check.run(controller.signal), timeout]);
    return { name: check.name, status: 'ok', durationMs: now() - started };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { name: check.name, status: 'failed', durationMs: now() - started, error: reason };
  } finally {
    clearTimeout(timer);
  }
}
