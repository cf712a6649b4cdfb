import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSettingsMarkdown, settingsSectionEnd, settingsSectionStart } from '../src/config/index.js';

const readmePath = new URL('../README.md', import.meta.url);

/** Table rows with cell padding and separator widths removed, so Prettier's column alignment does not matter. */
function normalizedRows(table: string): string[] {
  return table
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/\s*\|\s*/g, '|')
        .replace(/-{3,}/g, '---'),
    )
    .filter((line) => line !== '');
}

describe('README configuration table', () => {
  it.skipIf(!existsSync(readmePath))(
    'matches src/config/settings.ts (regenerate: npx tsx scripts/update-readme-settings.ts)',
    () => {
      const readme = readFileSync(readmePath, 'utf8');
      const start = readme.indexOf(settingsSectionStart);
      const end = readme.indexOf(settingsSectionEnd);
      expect(start, `README.md lacks the line ${settingsSectionStart}`).toBeGreaterThanOrEqual(0);
      expect(end, `README.md lacks the line ${settingsSectionEnd} after the start marker`).toBeGreaterThan(
        start,
      );
      const section = readme.slice(start + settingsSectionStart.length, end);
      expect(normalizedRows(section)).toEqual(normalizedRows(renderSettingsMarkdown()));
    },
  );
});
