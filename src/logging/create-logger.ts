import { pino } from 'pino';
import type { DestinationStream } from 'pino';
import type { Logger } from '../core/logger.js';

export interface LoggerOptions {
  /** A pino level name, or `silent`. */
  level: string;
  /** Where JSON lines go; standard output when omitted. */
  destination?: DestinationStream;
  /** Fields on every line, e.g. `{ component: 'serve' }`. */
  bindings?: Record<string, unknown>;
}

/** Field paths whose values never reach the logs, wherever a secret might be passed in by mistake. */
const redactedPaths = [
  'password',
  'token',
  'secret',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.password',
  '*.token',
  '*.secret',
  '*.authorization',
];

/** The process logger: JSON lines (pino), ISO timestamps, secrets redacted. */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    base: { service: 'aegis', ...options.bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactedPaths, censor: '<redacted>' },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}
