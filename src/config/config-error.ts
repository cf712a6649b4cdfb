import { AegisError } from '../core/errors.js';

/** Every problem found in the settings at once, one line each, naming the variable or file key at fault. */
export class ConfigError extends AegisError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const heading =
      problems.length === 1
        ? 'Invalid configuration:'
        : `Invalid configuration (${problems.length} problems):`;
    super('CONFIG_INVALID', [heading, ...problems.map((problem) => `  ${problem}`)].join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError;
}
