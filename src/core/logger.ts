/**
 * The logger every module depends on. It is deliberately the shape pino already has (fields first, message
 * second), so the pino logger from src/logging satisfies it without an adapter, and tests can pass
 * `silentLogger` or a recording stub.
 */
export type LogFields = Record<string, unknown>;

export interface LogMethod {
  (fields: LogFields, message?: string): void;
  (message: string): void;
}

export interface Logger {
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
  /** A logger that adds `bindings` to every line it writes. */
  child(bindings: LogFields): Logger;
}

const ignore: LogMethod = () => undefined;

/** Writes nothing; for tests and for code paths that have no logger yet. */
export const silentLogger: Logger = {
  error: ignore,
  warn: ignore,
  info: ignore,
  debug: ignore,
  child: () => silentLogger,
};
