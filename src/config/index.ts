import type { AegisConfig } from './settings.js';
import { loadConfig } from './load-config.js';

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

/** The composition root's only way to reach the process environment (lint keeps process.env in src/config). */
export function loadConfigFromProcess(): AegisConfig {
  return loadConfig(process.env);
}
