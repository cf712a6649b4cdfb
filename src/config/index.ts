import type { AegisConfig } from './settings.js';
import { loadConfig } from './load-config.js';
import { applyTracingSetting } from './tracing-environment.js';

export { ConfigError, isConfigError } from './config-error.js';
export {
  redactConfig,
  renderSettingsMarkdown,
  replaceSettingsSection,
  settingsSectionEnd,
  settingsSectionStart,
} from './describe-settings.js';
export { loadConfig, type Environment, type ReadTextFile } from './load-config.js';
export {
  configSchema,
  logLevels,
  sandboxModes,
  settings,
  type AegisConfig,
  type SettingKey,
} from './settings.js';

export { applyTracingSetting, tracingVariables } from './tracing-environment.js';

/**
 * The composition root's only way to reach the process environment (lint keeps process.env in src/config). It
 * also switches LangChain's own LangSmith tracing variables off unless AEGIS_LLM_TRACING=langsmith.
 */
export function loadConfigFromProcess(): AegisConfig {
  const config = loadConfig(process.env);
  applyTracingSetting(config.llmTracing, process.env);
  return config;
}
