import type { Logger } from '../core/logger.js';

export interface ShutdownOptions {
  logger: Logger;
  /** Stop everything, in order. Called once. */
  close(): Promise<void>;
  /** How long `close` may take before the process exits anyway (AEGIS_SHUTDOWN_TIMEOUT). */
  timeoutMs: number;
  /** Ends the process; `process.exit` unless a test supplies its own. */
  exit?: (code: number) => void;
}

export interface ShutdownHandle {
  /** Aborts when the first signal (or a fatal error) arrives, so start-up still under way can stop early. */
  readonly requested: AbortSignal;
  /** Remove the handlers again (the command ended on its own). */
  dispose(): void;
}

const exitCodes: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * The first SIGTERM or SIGINT stops the process gracefully (`close`, then exit 0); a second one, or `close`
 * taking longer than `timeoutMs`, ends it at once (128 + signal number, 1 on timeout). An uncaught exception
 * or unhandled rejection is logged and closes the process with exit 1. Only a fatal error logs at error level:
 * a requested stop is not a failure.
 */
export function shutdownOnSignal(options: ShutdownOptions): ShutdownHandle {
  const { logger } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const controller = new AbortController();
  let stopping = false;

  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    controller.abort();
    const timer = setTimeout(() => {
      logger.warn(
        { timeoutMs: options.timeoutMs },
        'graceful stop took longer than AEGIS_SHUTDOWN_TIMEOUT; exiting without waiting further',
      );
      exit(1);
    }, options.timeoutMs);
    timer.unref();
    options.close().then(
      () => {
        clearTimeout(timer);
        logger.info('stopped');
        exit(code);
      },
      (error: unknown) => {
        clearTimeout(timer);
        logger.error({ err: error }, 'problem while stopping');
        exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, `second ${signal}: exiting now, without finishing the graceful stop`);
      exit(exitCodes[signal] ?? 1);
      return;
    }
    logger.info({ signal }, `${signal}: stopping gracefully (send it again to exit at once)`);
    stop(0);
  };
  const onFatal = (error: unknown): void => {
    logger.error({ err: error }, 'fatal error; stopping');
    if (stopping) exit(1);
    else stop(1);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  return {
    requested: controller.signal,
    dispose() {
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('uncaughtException', onFatal);
      process.removeListener('unhandledRejection', onFatal);
    },
  };
}
