import { describe, expect, it } from 'vitest';
import { diagnosisSettings } from './diagnosis-settings.js';
import { healthCheckSettings } from './health-check-settings.js';
import { ingestSettings } from './ingest-settings.js';
import { llmSettings } from './llm-settings.js';
import { opsSettings } from './ops-settings.js';
import { processSettings, runtimeSettings } from './runtime-settings.js';
import { settingKeys, settings } from './settings.js';
import { slackSettings } from './slack-settings.js';

describe('settings composed from the area files', () => {
  it('has no key defined in two areas (a later spread would silently replace the earlier row)', () => {
    const areas = [
      runtimeSettings,
      ingestSettings,
      opsSettings,
      healthCheckSettings,
      diagnosisSettings,
      slackSettings,
      llmSettings,
      processSettings,
    ];
    const total = areas.reduce((count, area) => count + Object.keys(area).length, 0);
    expect(settingKeys).toHaveLength(total);
  });

  it('gives every setting its own environment variable', () => {
    const variables = settingKeys.map((key) => settings[key].env);
    expect(new Set(variables).size).toBe(variables.length);
  });
});
