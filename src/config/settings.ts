import { z } from 'zod';
import type { SettingDefinition } from './setting-definition.js';
import { healthCheckSettings } from './health-check-settings.js';
import { diagnosisSettings } from './diagnosis-settings.js';
import { ingestSettings } from './ingest-settings.js';
import { llmSettings } from './llm-settings.js';
import { opsSettings } from './ops-settings.js';
import { processSettings, runtimeSettings } from './runtime-settings.js';
import { slackSettings } from './slack-settings.js';

export type { SettingDefinition } from './setting-definition.js';
export { approvalDefaults } from './ops-settings.js';
export { logLevels, sandboxModes } from './runtime-settings.js';

/**
 * Every setting Aegis reads, in one table composed from one file per area. To add a setting, add a row to the
 * file of its area (see setting-definition.ts): the zod schema, the typed `AegisConfig`, the error messages and
 * the README table follow from it. The order here is the order of the README table and of the startup log.
 */
export const settings = {
  ...runtimeSettings,
  ...ingestSettings,
  ...opsSettings,
  ...healthCheckSettings,
  ...diagnosisSettings,
  ...slackSettings,
  ...llmSettings,
  ...processSettings,
} satisfies Record<string, SettingDefinition<unknown>>;

export type SettingKey = keyof typeof settings;

type ConfigShape = { [Key in SettingKey]: (typeof settings)[Key]['schema'] };

function buildSchema(): z.ZodObject<ConfigShape> {
  const shape = Object.fromEntries(Object.entries(settings).map(([key, setting]) => [key, setting.schema]));
  return z.object(shape as ConfigShape);
}

/** The one schema for all settings; its input is the merged (file, then environment) raw values. */
export const configSchema = buildSchema();

export type AegisConfig = z.output<typeof configSchema>;

export const settingKeys = Object.keys(settings) as SettingKey[];
