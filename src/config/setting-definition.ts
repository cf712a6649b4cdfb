import type { z } from 'zod';
import type { ValueKind } from './value-kinds.js';

/**
 * One setting Aegis reads. The key it is stored under is the camelCase name used in the YAML file
 * (AEGIS_CONFIG_FILE); `env` is the environment variable, which overrides the file. The zod schema, the typed
 * `AegisConfig`, the error messages and the README table all follow from these definitions (settings.ts).
 */
export interface SettingDefinition<Output> {
  readonly env: string;
  /** False for settings only the environment can give (the file's own path, values Kubernetes injects). */
  readonly inFile: boolean;
  /** Never echoed in error messages or logs. */
  readonly secret: boolean;
  readonly description: string;
  /** How the default reads in documentation; undefined means "unset". */
  readonly defaultText: string | undefined;
  readonly schema: z.ZodType<Output, unknown>;
}

interface SettingInput<Output> {
  env: string;
  value: ValueKind<Output>;
  description: string;
  inFile?: boolean;
  secret?: boolean;
}

/** A setting that always has a value: `default` when neither the file nor the environment gives one. */
export function requiredSetting<Output>(
  input: SettingInput<Output> & { default: NoInfer<Output>; defaultText?: string },
): SettingDefinition<Output> {
  return {
    env: input.env,
    inFile: input.inFile ?? true,
    secret: input.secret ?? false,
    description: input.description,
    defaultText: input.defaultText ?? String(input.default),
    schema: input.value.default(input.default as z.util.NoUndefined<Output>),
  };
}

/** A setting that may stay unset (undefined in `AegisConfig`). */
export function optionalSetting<Output>(input: SettingInput<Output>): SettingDefinition<Output | undefined> {
  return {
    env: input.env,
    inFile: input.inFile ?? true,
    secret: input.secret ?? false,
    description: input.description,
    defaultText: undefined,
    schema: input.value.optional(),
  };
}
