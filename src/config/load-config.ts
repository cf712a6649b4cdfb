import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { ConfigError } from './config-error.js';
import type { AegisConfig, SettingKey } from './settings.js';
import { configSchema, settingKeys, settings } from './settings.js';

export type Environment = Record<string, string | undefined>;
export type ReadTextFile = (path: string) => string;

interface RawValue {
  value: unknown;
  /** How to name the value's origin in a message: the variable, or `file: key`. */
  origin: string;
}

const readUtf8: ReadTextFile = (path) => readFileSync(path, 'utf8');

/**
 * Read every setting from `env` and, when AEGIS_CONFIG_FILE names one, a YAML file (camelCase keys).
 * Environment variables win over the file; an empty variable counts as unset. Throws a ConfigError that lists
 * every problem found, not just the first.
 */
export function loadConfig(env: Environment, readFile: ReadTextFile = readUtf8): AegisConfig {
  const problems: string[] = [];
  const raw = new Map<SettingKey, RawValue>();
  const configFile = nonEmpty(env[settings.configFile.env]);
  if (configFile !== undefined) {
    for (const [key, value] of Object.entries(readConfigFile(configFile, readFile, problems))) {
      raw.set(key as SettingKey, { value, origin: `${configFile}: ${key}` });
    }
  }
  for (const key of settingKeys) {
    const name = settings[key].env;
    const value = nonEmpty(env[name]);
    if (value !== undefined) raw.set(key, { value, origin: name });
  }
  const input = Object.fromEntries([...raw].map(([key, entry]) => [key, entry.value]));
  const result = configSchema.safeParse(input);
  if (result.success && problems.length === 0) return result.data;
  for (const issue of result.success ? [] : result.error.issues) {
    const key = issue.path[0] as SettingKey | undefined;
    const entry = key === undefined ? undefined : raw.get(key);
    if (key === undefined || entry === undefined) {
      problems.push(issue.message);
      continue;
    }
    problems.push(
      `${entry.origin}: ${issue.message}, got ${settings[key].secret ? '<redacted>' : show(entry.value)}`,
    );
  }
  throw new ConfigError(problems);
}

function readConfigFile(path: string, readFile: ReadTextFile, problems: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    problems.push(
      `${settings.configFile.env}: cannot read "${path}": ${error instanceof Error ? error.message : String(error)}`,
    );
    return {};
  }
  let parsed: unknown;
  try {
    parsed = YAML.parse(text);
  } catch (error) {
    problems.push(`${path}: not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
    return {};
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.push(
      `${path}: expected a mapping of settings (camelCase keys such as httpPort), got ${Array.isArray(parsed) ? 'a list' : show(parsed)}`,
    );
    return {};
  }
  const accepted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const problem = fileKeyProblem(key);
    if (problem === undefined) accepted[key] = value;
    else problems.push(`${path}: ${problem}`);
  }
  return accepted;
}

function fileKeyProblem(key: string): string | undefined {
  const setting = (settings as Partial<Record<string, (typeof settings)[SettingKey]>>)[key];
  if (setting !== undefined) {
    return setting.inFile ? undefined : `"${key}" can only be set in the environment (${setting.env})`;
  }
  const wanted = key.toLowerCase();
  const suggestion = settingKeys.find((candidate) => {
    const definition = settings[candidate];
    return (
      definition.inFile && (candidate.toLowerCase() === wanted || definition.env.toLowerCase() === wanted)
    );
  });
  return `unknown key "${key}"${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
